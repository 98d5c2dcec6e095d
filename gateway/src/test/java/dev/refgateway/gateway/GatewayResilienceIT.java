package dev.refgateway.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.gateway.testing.Backend;
import dev.refgateway.gateway.testing.TestGateway;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.model.agent.ImmutableRegistration;

import static dev.refgateway.gateway.testing.GatewayMetricsText.metric;
import static dev.refgateway.gateway.testing.GatewayMetricsText.scrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Failure handling end to end: outlier ejection, circuit breakers, retries, readiness, draining on shutdown, bodiless
 * answers, metrics and the bulkhead, against real instances registered in a real Consul agent. Each test has its
 * own service name, its own instances and its own gateway.
 */
class GatewayResilienceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ATTEMPTS = "Gateway-Attempts";
    private static ConsulAgent agent;
    private static Consul consul;

    private final List<AutoCloseable> cleanup = new CopyOnWriteArrayList<>();
    private String service;

    @BeforeAll
    static void consul() {
        agent = ConsulAgent.shared();
        consul = agent.client();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : cleanup.reversed()) {
            closeable.close();
        }
    }

    @Test
    void anInstanceAnswering500FiveTimesInARowIsEjectedAndTheOtherGetsEveryRequest(TestInfo test) throws Exception {
        List<Backend> backends = backends(test, 2);
        Backend failing = backends.get(0);
        Backend healthy = backends.get(1);
        failing.flakyStatus(500);
        Gateway gateway = gateway(TestGateway.withEchoRoute(agent.url(), service), 2);
        Http1Client client = client(gateway);

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            try (Http1ClientResponse res = client.get("/flaky").request()) {
                statuses.add(res.status().code());
            }
        }
        assertThat(statuses).containsOnly(200, 500).filteredOn(s -> s == 500).hasSize(5);
        assertThat(failing.hits()).isEqualTo(5);

        JsonNode ejected = adminInstance(gateway, failing.id());
        assertThat(ejected.get("pickable").asBoolean()).isFalse();
        assertThat(ejected.get("why").asText()).contains("ejected");
        assertThat(ejected.get("ejectedUntil").isTextual()).as("ejectedUntil: %s", ejected).isTrue();
        assertThat(ejected.get("timesEjected").asInt()).isEqualTo(1);
        JsonNode other = adminInstance(gateway, healthy.id());
        assertThat(other.get("pickable").asBoolean()).isTrue();
        assertThat(other.get("ejectedUntil").isNull()).isTrue();

        for (int i = 0; i < 10; i++) {
            try (Http1ClientResponse res = client.get("/flaky").request()) {
                assertThat(res.status().code()).isEqualTo(200);
                assertThat(res.headers().first(HeaderNames.create("X-Instance-Id"))).contains(healthy.id());
            }
        }
        assertThat(failing.hits()).isEqualTo(5);
        assertThat(metric(scrape(gateway), "gateway_upstream_ejections_total",
                          Map.of("service", service, "instance", failing.id())))
                .hasValue(1.0);
        // Every discovered instance has its counter from the start, so dashboards and rate() see a 0, not nothing.
        assertThat(metric(scrape(gateway), "gateway_upstream_ejections_total",
                          Map.of("service", service, "instance", healthy.id())))
                .hasValue(0.0);
    }

    @Test
    void aCircuitOpensAfterEnoughFailuresLetsOneProbeThroughAfterTheDelayAndClosesWhenItSucceeds(TestInfo test)
            throws Exception {
        List<Backend> backends = backends(test, 1);
        Backend instance = backends.getFirst();
        instance.flakyStatus(500);
        Gateway gateway = gateway(TestGateway.start(agent.url(), """
                  outlier:
                    consecutive-failures: 1000
                  circuit-breaker:
                    volume: 4
                    error-ratio-percent: 50
                    delay: 2s
                  routes:
                    - id: %s
                      path: /**
                      service: %s
                """.formatted(service, service)), 1);
        Http1Client client = client(gateway);

        for (int i = 0; i < 4; i++) {
            try (Http1ClientResponse res = client.get("/flaky").request()) {
                assertThat(res.status().code()).as("request %d", i).isEqualTo(500);
                assertThat(res.as(String.class)).isEqualTo("flaky 500 from " + instance.id());
            }
        }
        long opened = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            assertCircuitOpen(client);
        }
        assertThat(instance.hits()).isEqualTo(4);
        JsonNode open = adminInstance(gateway, instance.id());
        assertThat(open.get("circuit").asText()).isEqualTo("OPEN");
        assertThat(open.get("pickable").asBoolean()).isFalse();
        assertThat(open.get("why").asText()).contains("circuit open");

        // After the delay one probe reaches the instance; it still fails, so the circuit opens again at once.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            try (Http1ClientResponse res = client.get("/flaky").request()) {
                return res.status().code() == 500;
            }
        });
        assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThan(Duration.ofMillis(1_500));
        assertThat(instance.hits()).isEqualTo(5);
        long reopened = System.nanoTime();
        assertCircuitOpen(client);
        assertThat(instance.hits()).isEqualTo(5);

        // The instance recovers: the next probe succeeds and closes the circuit.
        instance.flakyStatus(200);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            try (Http1ClientResponse res = client.get("/flaky").request()) {
                return res.status().code() == 200;
            }
        });
        assertThat(Duration.ofNanos(System.nanoTime() - reopened)).isGreaterThan(Duration.ofMillis(1_500));
        assertThat(instance.hits()).isEqualTo(6);
        assertThat(adminInstance(gateway, instance.id()).get("circuit").asText()).isEqualTo("CLOSED");
        for (int i = 0; i < 3; i++) {
            try (Http1ClientResponse res = client.get("/flaky").request()) {
                assertThat(res.status().code()).isEqualTo(200);
            }
        }
        assertThat(instance.hits()).isEqualTo(9);
    }

    @Test
    void aGetAnswered503IsRetriedOnTheOtherInstance(TestInfo test) {
        List<Backend> backends = backends(test, 2);
        Backend refusing = backends.get(0);
        Backend healthy = backends.get(1);
        refusing.flakyStatus(503);
        Http1Client client = client(gateway(TestGateway.withEchoRoute(agent.url(), service), 2));

        // Round robin: of two requests, at least one starts on the refusing instance.
        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            try (Http1ClientResponse res = client.get("/flaky").request()) {
                assertThat(res.status().code()).isEqualTo(200);
                assertThat(res.as(String.class)).isEqualTo("flaky 200 from " + healthy.id());
                attempts.add(res.headers().first(HeaderNames.create(ATTEMPTS)).orElseThrow());
            }
        }

        assertThat(attempts).contains(refusing.id() + ";result=503, " + healthy.id() + ";result=200");
        assertThat(refusing.hits()).isGreaterThanOrEqualTo(1);
        assertThat(healthy.hits()).isEqualTo(2);
    }

    @Test
    void aGetToAnInstanceThatRefusesConnectionsSucceedsOnTheOtherAndCountsARetry(TestInfo test) throws Exception {
        List<Backend> backends = backends(test, 1);
        Backend healthy = backends.getFirst();
        // Registered and passing in Consul, but nothing listens: a crash Consul has not noticed yet. (Killing a
        // Backend would do the same only until its one-second check runs, which makes for a racy test.)
        String deadId = registerWithoutCheck(service, freePort());
        Gateway gateway = gateway(TestGateway.withEchoRoute(agent.url(), service), 2);
        Http1Client client = client(gateway);
        double retriesBefore = metric(scrape(gateway), "gateway_upstream_retries_total",
                                      Map.of("service", service)).orElse(0);

        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            try (Http1ClientResponse res = client.get("/echo/after-refusal").request()) {
                assertThat(res.status().code()).isEqualTo(200);
                assertThat(res.headers().first(HeaderNames.create("X-Instance-Id"))).contains(healthy.id());
                attempts.add(res.headers().first(HeaderNames.create(ATTEMPTS)).orElseThrow());
            }
        }

        assertThat(attempts).contains(deadId + ";result=connect-failure, " + healthy.id() + ";result=200");
        assertThat(healthy.hits()).isEqualTo(4);
        assertThat(metric(scrape(gateway), "gateway_upstream_retries_total",
                          Map.of("service", service, "instance", healthy.id())).orElse(0))
                .isGreaterThan(retriesBefore);
    }

    @Test
    void readinessIsUpOnceEveryRoutedServiceHasASnapshot(TestInfo test) throws Exception {
        backends(test, 1);
        Gateway gateway = gateway(TestGateway.withEchoRoute(agent.url(), service), 1);

        Answer ready = admin(gateway, "/observe/health/ready");

        assertThat(ready.status()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).get("status").asText()).isEqualTo("UP");
    }

    @Test
    void readinessIsDownWhileConsulDoesNotAnswerAndUpOnceItDoes(TestInfo test) throws Exception {
        backends(test, 1);
        int consulPort = freePort();
        Gateway gateway = Gateway.start(config(URI.create("http://127.0.0.1:" + consulPort), """
                  routes:
                    - id: %s
                      path: /**
                      service: %s
                """.formatted(service, service)));
        cleanup.add(gateway);

        Answer down = admin(gateway, "/observe/health/ready");
        assertThat(down.status()).isEqualTo(503);
        assertThat(JSON.readTree(down.body()).get("status").asText()).isEqualTo("DOWN");
        try (Http1ClientResponse res = client(gateway).get("/echo/too-early").request()) {
            assertThat(res.status().code()).isEqualTo(503);
            assertThat(JSON.readTree(res.as(String.class)).get("type").asText()).endsWith("/no-healthy-upstream");
        }

        cleanup.add(TcpRelay.start(consulPort, agent.httpPort()));

        await().atMost(Duration.ofSeconds(10)).until(() -> admin(gateway, "/observe/health/ready").status() == 200);
        assertThat(JSON.readTree(admin(gateway, "/observe/health/ready").body()).get("status").asText())
                .isEqualTo("UP");
        awaitInstances(gateway, 1);
    }

    @Test
    void requestsInFlightAtShutdownCompleteAndNewConnectionsAreRefused(TestInfo test) throws Exception {
        List<Backend> backends = backends(test, 1);
        Gateway gateway = gateway(TestGateway.withEchoRoute(agent.url(), service), 1);
        int port = gateway.port();

        List<Future<String>> inFlight = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 3; i++) {
                inFlight.add(clients.submit(() -> {
                    try (Http1ClientResponse res = client(port).get("/slow").queryParam("ms", "1500").request()) {
                        return res.status().code() + " " + res.as(String.class);
                    }
                }));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> backends.getFirst().hits() == 3);

            gateway.shutdown();

            for (Future<String> answer : inFlight) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("200 slept 1500 ms");
            }
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void headAnswersLikeGetWithoutABodyAnd204And304HaveNoBody(TestInfo test) throws Exception {
        backends(test, 1);
        Gateway gateway = gateway(TestGateway.withEchoRoute(agent.url(), service), 1);

        // One keep-alive connection: were any bodiless answer followed by body bytes, the next status line would not
        // start where the previous head ended.
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            RawResponse get = exchange(socket, "GET /status/200 HTTP/1.1\r\nHost: localhost\r\n\r\n", true);
            RawResponse head = exchange(socket, "HEAD /status/200 HTTP/1.1\r\nHost: localhost\r\n\r\n", false);
            RawResponse noContent = exchange(socket, "GET /status/204 HTTP/1.1\r\nHost: localhost\r\n\r\n", false);
            RawResponse notModified = exchange(socket, "GET /status/304 HTTP/1.1\r\nHost: localhost\r\n\r\n", false);
            RawResponse last = exchange(socket, "GET /status/200 HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n\r\n", true);

            assertThat(get.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(get.body()).startsWith("status 200 from ");
            assertThat(get.header("content-length")).isEqualTo(String.valueOf(get.body().length()));
            assertThat(head.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(head.header("content-length")).isEqualTo(get.header("content-length"));
            // Helidon's server always writes Content-Length: 0 on 204 and 304; what matters is that no byte follows.
            assertThat(noContent.statusLine()).isEqualTo("HTTP/1.1 204 No Content");
            assertThat(noContent.header("content-length")).isIn(null, "0");
            assertThat(noContent.header("transfer-encoding")).isNull();
            assertThat(notModified.statusLine()).isEqualTo("HTTP/1.1 304 Not Modified");
            assertThat(notModified.header("content-length")).isIn(null, "0");
            assertThat(notModified.header("transfer-encoding")).isNull();
            assertThat(last.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(last.body()).isEqualTo(get.body());
        }
    }

    @Test
    void requestsAttemptsAndHealthyInstancesShowInThePrometheusText(TestInfo test) throws Exception {
        backends(test, 2);
        String route = service + "-route";
        Gateway gateway = gateway(TestGateway.start(agent.url(), """
                  routes:
                    - id: %s
                      path: /**
                      service: %s
                """.formatted(route, service)), 2);
        Http1Client client = client(gateway);

        for (int i = 0; i < 3; i++) {
            try (Http1ClientResponse res = client.get("/echo/metrics").request()) {
                assertThat(res.status().code()).isEqualTo(200);
            }
        }
        try (Http1ClientResponse res = client.get("/status/404").request()) {
            assertThat(res.status().code()).isEqualTo(404);
        }

        String text = scrape(gateway);
        assertThat(metric(text, "gateway_requests_total", Map.of("route", route, "method", "GET",
                                                                 "status_class", "2xx", "outcome", "success")))
                .hasValue(3.0);
        assertThat(metric(text, "gateway_requests_total", Map.of("route", route, "method", "GET",
                                                                 "status_class", "4xx", "outcome", "success")))
                .hasValue(1.0);
        assertThat(metric(text, "gateway_request_duration_seconds_count", Map.of("route", route))).hasValue(4.0);
        assertThat(metric(text, "gateway_request_duration_seconds_sum", Map.of("route", route)).orElse(0))
                .isPositive();
        assertThat(metric(text, "gateway_request_duration_seconds", Map.of("route", route, "quantile", "0.99")))
                .isPresent();
        assertThat(metric(text, "gateway_upstream_healthy_instances", Map.of("service", service))).hasValue(2.0);
        assertThat(metric(text, "gateway_upstream_attempts_total", Map.of("service", service, "result", "200")))
                .isPresent();
        assertThat(metric(text, "gateway_discovery_staleness_seconds", Map.of("service", service))).hasValue(0.0);
    }

    @Test
    void aFullBulkheadAnswers503AtOnce(TestInfo test) throws Exception {
        List<Backend> backends = backends(test, 1);
        Gateway gateway = gateway(TestGateway.start(agent.url(), """
                  bulkhead:
                    enabled: true
                    limit: 1
                    queue-length: 0
                  routes:
                    - id: %s
                      path: /**
                      service: %s
                """.formatted(service, service)), 1);
        Http1Client client = client(gateway);

        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> first = clients.submit(() -> {
                try (Http1ClientResponse res = client.get("/slow").queryParam("ms", "1500").request()) {
                    return res.status().code() + " " + res.as(String.class);
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> backends.getFirst().hits() == 1);

            try (Http1ClientResponse res = client.get("/slow").queryParam("ms", "1500").request()) {
                assertThat(res.status().code()).isEqualTo(503);
                assertThat(res.headers().contentType().orElseThrow().text()).isEqualTo("application/problem+json");
                assertThat(JSON.readTree(res.as(String.class)).get("type").asText()).endsWith("/upstream-overloaded");
            }
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("200 slept 1500 ms");
        }
        assertThat(backends.getFirst().hits()).isEqualTo(1);
    }

    private static void assertCircuitOpen(Http1Client client) throws IOException {
        try (Http1ClientResponse res = client.get("/flaky").request()) {
            assertThat(res.status().code()).isEqualTo(503);
            assertThat(res.headers().contentType().orElseThrow().text()).isEqualTo("application/problem+json");
            assertThat(res.headers().first(HeaderNames.RETRY_AFTER)).contains("1");
            JsonNode problem = JSON.readTree(res.as(String.class));
            assertThat(problem.get("type").asText()).endsWith("/circuit-open");
            assertThat(problem.get("status").asInt()).isEqualTo(503);
        }
    }

    private List<Backend> backends(TestInfo test, int count) {
        service = "svc-" + test.getTestMethod().orElseThrow().getName().toLowerCase();
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Backend backend = Backend.start(service, consul);
            cleanup.add(backend);
            backends.add(backend);
        }
        return backends;
    }

    private Gateway gateway(Gateway gateway, int instances) {
        cleanup.add(gateway);
        awaitInstances(gateway, instances);
        return gateway;
    }

    private void awaitInstances(Gateway gateway, int count) {
        TestGateway.awaitInstances(gateway, service, count);
    }

    /** Registers an instance of {@code service} without a health check (so it is passing) at {@code port}. */
    private String registerWithoutCheck(String service, int port) {
        String id = service + "-127.0.0.1-" + port;
        consul.agentClient().register(ImmutableRegistration.builder()
                                              .id(id)
                                              .name(service)
                                              .address("127.0.0.1")
                                              .port(port)
                                              .build());
        cleanup.add(() -> consul.agentClient().deregister(id));
        return id;
    }

    /** A port nothing listens on (free a moment ago). */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Config config(URI consulUrl, String gatewayYaml) {
        String yaml = """
                server:
                  port: 0
                  host: 127.0.0.1
                admin:
                  port: 0
                consul:
                  url: %s
                  watch:
                    error-backoff-initial: PT0.05S
                    error-backoff-max: PT0.2S
                gateway:
                %s
                """.formatted(consulUrl, gatewayYaml.stripTrailing());
        return Config.just(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML));
    }

    private static Http1Client client(Gateway gateway) {
        return client(gateway.port());
    }

    private static Http1Client client(int port) {
        return WebClient.builder()
                .baseUri("http://127.0.0.1:" + port)
                .build()
                .client(Http1Client.PROTOCOL);
    }

    private record Answer(int status, String body) {
    }

    private static Answer admin(Gateway gateway, String path) {
        try (Http1ClientResponse res = client(gateway.adminPort()).get(path)
                .header(HeaderNames.ACCEPT, "application/json, text/plain")
                .request()) {
            return new Answer(res.status().code(), res.as(String.class));
        }
    }

    /** The admin view of one instance of the test's service. */
    private JsonNode adminInstance(Gateway gateway, String instanceId) throws IOException {
        Answer answer = admin(gateway, "/admin/upstreams");
        assertThat(answer.status()).isEqualTo(200);
        for (JsonNode upstream : JSON.readTree(answer.body()).get("upstreams")) {
            if (!upstream.get("service").asText().equals(service)) {
                continue;
            }
            for (JsonNode instance : upstream.get("instances")) {
                if (instance.get("id").asText().equals(instanceId)) {
                    return instance;
                }
            }
        }
        throw new AssertionError("No instance " + instanceId + " of " + service + " in " + answer.body());
    }


    private record RawResponse(String statusLine, Map<String, String> headers, String body) {

        String header(String lowerCaseName) {
            return headers.get(lowerCaseName);
        }
    }

    /**
     * Writes one request on {@code socket} and reads exactly one response: the head, then (when {@code withBody})
     * as many bytes as its Content-Length says — never more, so the next response must start right after.
     */
    private static RawResponse exchange(Socket socket, String request, boolean withBody) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("Connection closed after " + head);
            }
            head.append((char) b);
        }
        String[] lines = head.toString().split("\r\n");
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(), lines[i].substring(colon + 1).trim());
        }
        String body = "";
        if (withBody) {
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            body = new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        }
        return new RawResponse(lines[0], headers, body);
    }

    /** Forwards TCP connections from a local port to the Consul agent: a Consul that starts answering late. */
    private static final class TcpRelay implements AutoCloseable {

        private final ServerSocket server;
        private final int target;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        private TcpRelay(ServerSocket server, int target) {
            this.server = server;
            this.target = target;
        }

        static TcpRelay start(int port, int target) throws IOException {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress("127.0.0.1", port));
            TcpRelay relay = new TcpRelay(server, target);
            Thread.ofVirtual().start(relay::accept);
            return relay;
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket("127.0.0.1", target);
                    sockets.add(client);
                    sockets.add(upstream);
                    Thread.ofVirtual().start(() -> pipe(client, upstream));
                    Thread.ofVirtual().start(() -> pipe(upstream, client));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void pipe(Socket from, Socket to) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed: the other side's pipe ends too
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            sockets.forEach(TcpRelay::closeQuietly);
        }
    }
}
