package dev.refgateway.gateway;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.gateway.testing.GatewayMetricsText;
import dev.refgateway.gateway.testing.RawAnswer;
import dev.refgateway.gateway.testing.RawSockets;
import dev.refgateway.gateway.testing.RecordingBackend;
import dev.refgateway.gateway.testing.TestGateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What clients cannot make the gateway do or hold: invent metric series, pass headers instances trust, pass an API
 * key on, guess credentials at full speed, keep a connection busy with a body it never finishes, open connections
 * without bound, or reach the admin API from elsewhere. Each test its own gateway, against a recording instance.
 */
class GatewayEdgeStateIT {

    private static final String API_KEY = "edge-state-test-key-0123456789abcdef";
    private static ConsulAgent agent;

    private final List<AutoCloseable> cleanup = new CopyOnWriteArrayList<>();
    private String service;
    private RecordingBackend backend;

    @BeforeAll
    static void consul() {
        agent = ConsulAgent.shared();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : cleanup.reversed()) {
            closeable.close();
        }
    }

    @Test
    void madeUpMethodsCountAsOtherAndNeverCreateMetricSeries(TestInfo test) {
        Gateway gateway = gateway(test, "", "");
        for (int i = 0; i < 200; i++) {
            String method = "M" + i + "X".repeat(100);
            RawSockets.exchangeUntilClosed(gateway.port(), method + " /anything HTTP/1.1\r\nHost: gw\r\n"
                    + "Connection: close\r\n\r\n");
            RawSockets.exchangeUntilClosed(gateway.port(), method + " /nowhere-" + i + " HTTP/1.1\r\nHost: gw\r\n"
                    + "Connection: close\r\n\r\n");
        }

        String metrics = GatewayMetricsText.scrape(gateway);
        Set<String> methods = new TreeSet<>();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("gateway_requests_total{")) {
                int at = line.indexOf("method=\"") + 8;
                methods.add(line.substring(at, line.indexOf('"', at)));
            }
        }
        // (the registry is the JVM's: other tests' GETs and POSTs show too, never a made-up method)
        assertThat(methods).contains("OTHER")
                .isSubsetOf("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "OTHER");
        assertThat(metrics).doesNotContain("XXXX", "nowhere-");
        assertThat(GatewayMetricsText.metric(metrics, "gateway_requests_total",
                                             Map.of("route", "everything", "method", "OTHER"))).hasValue(400.0);
    }

    @Test
    void headersInstancesTrustNeverReachThemUnderAnyAlias(TestInfo test) {
        Gateway gateway = gateway(test, "", "");

        RawAnswer answer = RawAnswer.parse(RawSockets.exchangeUntilClosed(gateway.port(), """
                GET /trust HTTP/1.1\r
                Host: gw\r
                X_Auth_Subject: admin\r
                X-Auth_Scopes: orders:write\r
                X_Forwarded_For: 10.9.9.9\r
                x_forwarded_host: evil.example\r
                X-Real-IP: 10.9.9.9\r
                True-Client-IP: 10.9.9.9\r
                X-Original-URL: /admin\r
                X-Rewrite-URL: /admin\r
                X-HTTP-Method-Override: DELETE\r
                X-Method-Override: DELETE\r
                X_Request_Id: forged\r
                X_Custom_Thing: kept\r
                Connection: close\r
                \r
                """));

        assertThat(answer.status()).isEqualTo(200);
        RecordingBackend.Received received = backend.received().getLast();
        assertThat(received.head().toLowerCase()).doesNotContain("x_auth", "x-auth", "x_forwarded", "x-real-ip",
                "true-client-ip", "x-original-url", "x-rewrite-url", "override", "x_request_id", "evil.example",
                "10.9.9.9");
        assertThat(received.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        // an underscore header that aliases nothing of the gateway's is the instance's business
        assertThat(received.header("X_Custom_Thing")).isEqualTo("kept");
    }

    @Test
    void anApiKeyInAuthorizationIsNeverForwardedEvenOnAPublicRoute(TestInfo test) {
        Gateway gateway = gateway(test, """
                  security:
                    api-keys:
                      - client-id: tester
                        sha256: %s
                """.formatted(sha256(API_KEY)), "");

        RawSockets.exchangeUntilClosed(gateway.port(), "GET /public-with-key HTTP/1.1\r\nHost: gw\r\n"
                + "Authorization: Bearer " + API_KEY + "\r\nConnection: close\r\n\r\n");
        RawSockets.exchangeUntilClosed(gateway.port(), "GET /public-with-other HTTP/1.1\r\nHost: gw\r\n"
                + "Authorization: Bearer some.other.token\r\nConnection: close\r\n\r\n");

        List<RecordingBackend.Received> received = backend.received();
        assertThat(received.get(received.size() - 2).hasHeader("Authorization")).isFalse();
        assertThat(received.getLast().header("Authorization")).isEqualTo("Bearer some.other.token");
        assertThat(String.join("", received.stream().map(RecordingBackend.Received::head).toList()))
                .doesNotContain(API_KEY);
    }

    @Test
    void repeatedAuthenticationFailuresFromOneAddressAreRefusedWith429(TestInfo test) {
        Gateway gateway = gateway(test, """
                  security:
                    failed-auth-limit: {failures: 3, period: 1m}
                    api-keys:
                      - client-id: tester
                        sha256: %s
                """.formatted(sha256(API_KEY)), "auth: {policy: api-key}");

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(RawAnswer.parse(RawSockets.exchangeUntilClosed(gateway.port(), "GET /guess HTTP/1.1\r\n"
                    + "Host: gw\r\nX-API-Key: wrong-guess-" + i + "\r\nConnection: close\r\n\r\n")).status());
        }
        RawAnswer throttled = RawAnswer.parse(RawSockets.exchangeUntilClosed(gateway.port(), "GET /guess HTTP/1.1\r\n"
                + "Host: gw\r\nX-API-Key: " + API_KEY + "\r\nConnection: close\r\n\r\n"));

        assertThat(statuses).containsExactly(401, 401, 401, 429);
        // even the right key waits: the address is refused before credentials are looked at
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.body()).contains("https://refgateway.dev/problems/too-many-auth-failures");
        assertThat(Integer.parseInt(throttled.header("Retry-After"))).isBetween(1, 60);
        assertThat(backend.received()).isEmpty();
    }

    @Test
    void theUnreadBodyOfARefusedRequestIsDrainedSoTheConnectionCarriesOnOrTheConnectionIsClosed(TestInfo test)
            throws Exception {
        Gateway gateway = gateway(test, """
                  limits:
                    drain-max-bytes: 1000
                  security:
                    api-keys:
                      - client-id: tester
                        sha256: %s
                """.formatted(sha256(API_KEY)), "auth: {policy: api-key}");
        String small = "x".repeat(500);
        // the body of a refused request that is not read must never be taken for requests: it starts with one
        String smuggled = "GET /smuggled-in-a-body HTTP/1.1\r\nHost: gw\r\nX-API-Key: " + API_KEY + "\r\n\r\n";
        String big = smuggled + "y".repeat(5000 - smuggled.length());

        try (Socket socket = RawSockets.open(gateway.port())) {
            InputStream in = socket.getInputStream();
            // refused before the body is read: the body is read away, the connection stays usable
            RawSockets.write(socket, "POST /refused HTTP/1.1\r\nHost: gw\r\nContent-Length: " + small.length()
                    + "\r\n\r\n" + small);
            RawAnswer first = RawAnswer.parse(RawSockets.readResponse(in));
            RawSockets.write(socket, "GET /after HTTP/1.1\r\nHost: gw\r\nX-API-Key: " + API_KEY + "\r\n\r\n");
            RawAnswer second = RawAnswer.parse(RawSockets.readResponse(in));
            // a body over the drain limit is not read: the answer closes the connection instead
            RawSockets.write(socket, "POST /refused HTTP/1.1\r\nHost: gw\r\nContent-Length: " + big.length()
                    + "\r\n\r\n" + big);
            String third = RawSockets.readUntilClosed(in);

            assertThat(first.status()).isEqualTo(401);
            assertThat(first.header("Connection")).isNotEqualTo("close");
            assertThat(second.status()).isEqualTo(200);
            assertThat(RawAnswer.parse(third).status()).isEqualTo(401);
            assertThat(RawAnswer.parse(third).header("Connection")).isEqualTo("close");
            assertThat(RawAnswer.all(third)).hasSize(1);
        }
        assertThat(backend.received()).extracting(RecordingBackend.Received::target).containsExactly("/after");
    }

    @Test
    void aChunkedBodyOverThePayloadLimitEndsTheConnectionAndItsDataIsNeverReadAsARequest(TestInfo test) {
        Gateway gateway = gateway(test, "", "", "", "max-payload-size: 100");
        String smuggled = "GET /smuggled-in-a-chunk HTTP/1.1\r\nHost: gw\r\n\r\n";
        String chunk = smuggled + "z".repeat(200 - smuggled.length());

        String raw = RawSockets.exchangeUntilClosed(gateway.port(), "POST /too-big HTTP/1.1\r\nHost: gw\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk
                + "\r\n0\r\n\r\n");

        assertThat(RawAnswer.all(raw)).hasSize(1);
        assertThat(RawAnswer.parse(raw).status()).isEqualTo(413);
        assertThat(backend.received()).noneMatch(r -> r.target().startsWith("/smuggled"));
    }

    @Test
    void aBodyTrickledAByteAtATimeIsCutOffWith408(TestInfo test) throws Exception {
        Gateway gateway = gateway(test, """
                  limits:
                    body-read-timeout: 1s
                    body-min-rate: 500
                """, "");

        long started = System.nanoTime();
        String answer;
        try (Socket socket = RawSockets.open(gateway.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("POST /trickle HTTP/1.1\r\nHost: gw\r\nContent-Length: 100\r\n\r\n".getBytes());
            out.flush();
            try {
                // one byte every 200 ms: never a pause of a second, but far below 500 bytes a second
                for (int i = 0; i < 40; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(200);
                }
            } catch (java.io.IOException closedByGateway) {
                // expected once the gateway cuts the connection
            }
            answer = RawSockets.readUntilClosed(socket.getInputStream());
        }

        assertThat(answer).startsWith("HTTP/1.1 408").contains("request-body-timeout").contains("Connection: close");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
        assertThat(backend.received()).noneMatch(r -> r.target().equals("/trickle") && r.body().length() == 100);
    }

    @Test
    void connectionsBeyondTheCapAreAnswered503AndClosedAndCounted(TestInfo test) throws Exception {
        Gateway gateway = gateway(test, """
                  limits:
                    max-connections: 2
                """, "");

        try (Socket first = RawSockets.open(gateway.port()); Socket second = RawSockets.open(gateway.port())) {
            RawSockets.write(first, "GET /one HTTP/1.1\r\nHost: gw\r\n\r\n");
            assertThat(RawSockets.readResponse(first.getInputStream())).startsWith("HTTP/1.1 200");
            RawSockets.write(second, "GET /two HTTP/1.1\r\nHost: gw\r\n\r\n");
            assertThat(RawSockets.readResponse(second.getInputStream())).startsWith("HTTP/1.1 200");

            String third = RawSockets.exchangeUntilClosed(gateway.port(), "GET /three HTTP/1.1\r\nHost: gw\r\n\r\n");

            assertThat(third).startsWith("HTTP/1.1 503").contains("too-many-connections");
        }
        String metrics = GatewayMetricsText.scrape(gateway);
        assertThat(GatewayMetricsText.metric(metrics, "gateway_connections_refused_total", Map.of())).hasValue(1.0);
        assertThat(backend.received()).extracting(RecordingBackend.Received::target).containsExactly("/one", "/two");
    }

    @Test
    void theAdminSocketListensOnItsOwnHostAndWantsItsTokenWhenOneIsSet(TestInfo test) throws Exception {
        Gateway gateway = gateway(test, "", "", """
                  host: 127.0.0.1
                  token: admin-token-0123456789
                """);

        // 127.0.0.2 is a loopback address too, but not the one the admin socket listens on
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.2", gateway.adminPort()), 2000);
            }
        }).isInstanceOf(ConnectException.class);
        String without = RawSockets.exchangeUntilClosed(gateway.adminPort(),
                "GET /admin/routes HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        String with = RawSockets.exchangeUntilClosed(gateway.adminPort(), "GET /admin/routes HTTP/1.1\r\nHost: a\r\n"
                + "Authorization: Bearer admin-token-0123456789\r\nConnection: close\r\n\r\n");
        String health = RawSockets.exchangeUntilClosed(gateway.adminPort(),
                "GET /observe/health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        // the admin socket has the edge's deadlines too: a head never finished is cut off
        String stalled;
        try (Socket socket = RawSockets.open(gateway.adminPort())) {
            RawSockets.write(socket, "GET /observe/health HTTP/1.1\r\n");
            stalled = RawSockets.readUntilClosed(socket.getInputStream());
        }

        assertThat(without).startsWith("HTTP/1.1 401").contains("unauthenticated");
        assertThat(with).startsWith("HTTP/1.1 200").contains("\"id\"");
        assertThat(health).startsWith("HTTP/1.1 200");
        assertThat(stalled).startsWith("HTTP/1.1 408");
    }

    @Test
    void answersDoNotNameTheInstancesTriedUnlessConfiguredTo(TestInfo test) {
        Gateway gateway = gateway(test, "", "");

        RawAnswer answer = RawAnswer.parse(RawSockets.exchangeUntilClosed(gateway.port(),
                "GET /quiet HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Gateway-Attempts")).isNull();
    }

    private Gateway gateway(TestInfo test, String gatewayYaml, String routeYaml) {
        return gateway(test, gatewayYaml, routeYaml, "");
    }

    /** A gateway whose route /** goes to a new recording instance; header timeout 1 s (for the admin test). */
    private Gateway gateway(TestInfo test, String gatewayYaml, String routeYaml, String adminYaml) {
        return gateway(test, gatewayYaml, routeYaml, adminYaml, "");
    }

    private Gateway gateway(TestInfo test, String gatewayYaml, String routeYaml, String adminYaml, String serverYaml) {
        service = "svc-edge-" + test.getTestMethod().orElseThrow().getName().hashCode();
        backend = RecordingBackend.start(service, agent.client(), RecordingBackend.ok());
        cleanup.add(backend);
        String limits = gatewayYaml.contains("limits:") ? "" : "  limits:\n    header-read-timeout: 1s\n";
        Gateway gateway = TestGateway.start(agent.url(), serverYaml.isEmpty() ? "" : "  " + serverYaml, adminYaml,
                                            limits + gatewayYaml + """
                  routes:
                    - id: everything
                      path: /**
                      service: %s
                      %s
                """.formatted(service, routeYaml));
        cleanup.add(gateway);
        TestGateway.awaitInstances(gateway, service, 1);
        return gateway;
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
