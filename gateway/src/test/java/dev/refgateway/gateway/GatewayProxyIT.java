package dev.refgateway.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.gateway.testing.Backend;
import dev.refgateway.gateway.testing.RawSockets;
import dev.refgateway.gateway.testing.TestGateway;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.kiwiproject.consul.Consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway against real instances registered in a real Consul agent. Each test has its own service name, its own
 * instances and its own gateway.
 */
class GatewayProxyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
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
    void sequentialGetsAlternateExactlyBetweenTwoInstances(TestInfo test) {
        List<Backend> backends = backends(test, 2);
        Http1Client client = client(gateway(backends));

        List<String> served = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            try (Http1ClientResponse res = client.get("/echo/alternate").request()) {
                assertThat(res.status().code()).isEqualTo(200);
                served.add(res.headers().first(HeaderNames.create("X-Instance-Id")).orElseThrow());
            }
        }
        String first = served.getFirst();
        String second = backends.get(0).id().equals(first) ? backends.get(1).id() : backends.get(0).id();
        for (int i = 0; i < served.size(); i++) {
            assertThat(served.get(i)).as("request %d", i).isEqualTo(i % 2 == 0 ? first : second);
        }
    }

    @Test
    void upstreamConnectionsAreKeptAliveAcrossRequests(TestInfo test) {
        List<Backend> backends = backends(test, 1);
        Http1Client client = client(gateway(backends));

        for (int i = 0; i < 50; i++) {
            try (Http1ClientResponse res = client.get("/echo/keep-alive").request()) {
                assertThat(res.status().code()).isEqualTo(200);
                assertThat(res.as(String.class)).contains("/echo/keep-alive");
            }
        }
        // 50 sequential requests, each answer read to its end: one upstream connection (a couple if the pool raced).
        Set<Object> connections = new HashSet<>();
        for (Map<String, Object> seen : backends.getFirst().received()) {
            connections.add(seen.get("peerPort"));
        }
        assertThat(connections).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void theCanonicalPathAndTheRawQueryReachTheInstanceByteForByte(TestInfo test) throws Exception {
        List<Backend> backends = backends(test, 1);
        Gateway gateway = gateway(backends);

        // %2c stays an escape (upper case), %7E is an unreserved character and is decoded; the query is untouched
        String target = "/echo/a%2cb/%7Euser?b=2&a=1&a=3&flag&x=%20y&empty=";
        String response = RawSockets.exchange(gateway.port(), "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200");
        Map<String, Object> seen = backends.getFirst().received().getLast();
        assertThat(seen.get("path")).isEqualTo("/echo/a%2Cb/~user");
        assertThat(seen.get("query")).isEqualTo("b=2&a=1&a=3&flag&x=%20y&empty=");
    }

    @Test
    void hopByHopAndConnectionListedHeadersNeverReachTheInstance(TestInfo test) throws Exception {
        List<Backend> backends = backends(test, 1);
        Gateway gateway = gateway(backends);

        String response = RawSockets.exchange(gateway.port(), "GET /echo/headers HTTP/1.1\r\n"
                + "Host: api.example.com\r\n"
                + "Connection: close, X-Secret-Hop\r\n"
                + "X-Secret-Hop: must-not-pass\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "Proxy-Connection: keep-alive\r\n"
                + "TE: trailers\r\n"
                + "Trailer: X-Checksum\r\n"
                + "X-Forwarded-For: 6.6.6.6\r\n"
                + "X-End-To-End: passes\r\n"
                + "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n"
                + "\r\n");

        assertThat(response).startsWith("HTTP/1.1 200");
        @SuppressWarnings("unchecked")
        Map<String, List<String>> headers = (Map<String, List<String>>) backends.getFirst().received().getLast()
                .get("headers");
        assertThat(headers).doesNotContainKeys("x-secret-hop", "keep-alive", "proxy-connection", "te", "trailer");
        assertThat(headers.getOrDefault("connection", List.of())).noneMatch(v -> v.contains("X-Secret-Hop"));
        assertThat(headers.get("x-end-to-end")).containsExactly("passes");
        // The peer (this test) is not a trusted proxy: its X-Forwarded-For claim is replaced, not appended to.
        assertThat(headers.get("x-forwarded-for")).containsExactly("127.0.0.1");
        assertThat(headers.get("x-forwarded-host")).containsExactly("api.example.com");
        assertThat(headers.get("x-forwarded-proto")).containsExactly("http");
        assertThat(headers.get("traceparent"))
                .containsExactly("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(headers.get("x-request-id")).hasSize(1);
        assertThat(response).containsIgnoringCase("x-request-id: " + headers.get("x-request-id").getFirst());
        assertThat(response).containsIgnoringCase("X-Backend-Custom: kept");
    }

    @Test
    void aRequestWithBothContentLengthAndTransferEncodingIsRefused(TestInfo test) throws Exception {
        List<Backend> backends = backends(test, 1);
        Gateway gateway = gateway(backends);

        String response = RawSockets.exchange(gateway.port(), "POST /echo/smuggle HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Content-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n"
                + "0\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(response).containsIgnoringCase("content-type: application/problem+json");
        assertThat(response).contains("\"type\":\"https://refgateway.dev/problems/bad-framing\"");
        assertThat(backends.getFirst().hits()).isZero();
    }

    @Test
    void noRouteIsA404Problem(TestInfo test) {
        List<Backend> backends = backends(test, 1);
        Gateway gateway = TestGateway.start(agent.url(), """
                  routes:
                    - id: echo
                      path: /echo/**
                      service: %s
                """.formatted(service));
        cleanup.add(gateway);

        try (Http1ClientResponse res = client(gateway).get("/nowhere").request()) {
            assertThat(res.status().code()).isEqualTo(404);
            assertThat(res.headers().contentType().orElseThrow().text()).isEqualTo("application/problem+json");
            JsonNode problem = json(res);
            assertThat(problem.get("type").asText()).endsWith("/route-not-found");
            assertThat(problem.get("status").asInt()).isEqualTo(404);
            assertThat(problem.get("detail").asText()).contains("/nowhere");
        }
        assertThat(backends.getFirst().hits()).isZero();
    }

    @Test
    void noHealthyInstanceIsAFast503WithRetryAfter(TestInfo test) {
        List<Backend> backends = backends(test, 2);
        Gateway gateway = gateway(backends);
        Http1Client client = client(gateway);
        backends.forEach(b -> b.healthy(false));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> gateway.upstreams().get(service).orElseThrow().pool().size() == 0);

        long started = System.nanoTime();
        try (Http1ClientResponse res = client.get("/echo/none").request()) {
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(res.status().code()).isEqualTo(503);
            assertThat(res.headers().first(HeaderNames.RETRY_AFTER)).isPresent();
            assertThat(json(res).get("type").asText()).endsWith("/no-healthy-upstream");
            assertThat(millis).as("answer time in ms").isLessThan(100);
        }
    }

    @Test
    void anInstanceKilledUnderLoadCausesNoFailedGet(TestInfo test) throws Exception {
        List<Backend> backends = backends(test, 2);
        Http1Client client = client(gateway(backends));
        AtomicInteger failures = new AtomicInteger();
        List<String> failureDetails = new CopyOnWriteArrayList<>();

        for (int i = 0; i < 1000; i++) {
            if (i == 300) {
                backends.get(0).kill();
            }
            try (Http1ClientResponse res = client.get("/echo/load").request()) {
                if (res.status().code() != 200) {
                    failures.incrementAndGet();
                    failureDetails.add(res.status() + " " + res.as(String.class));
                }
            }
        }

        assertThat(failureDetails).isEmpty();
        assertThat(failures.get()).isZero();
        assertThat(backends.get(1).hits()).isGreaterThan(500);
    }

    @Test
    void aDeregisteredInstanceGetsNoRequestOneSecondLater(TestInfo test) throws Exception {
        List<Backend> backends = backends(test, 2);
        Http1Client client = client(gateway(backends));

        backends.get(0).deregister();
        Thread.sleep(1_000);
        int hitsBefore = backends.get(0).hits();
        for (int i = 0; i < 20; i++) {
            try (Http1ClientResponse res = client.get("/echo/after-deregistration").request()) {
                assertThat(res.status().code()).isEqualTo(200);
            }
        }

        assertThat(backends.get(0).hits()).isEqualTo(hitsBefore);
    }

    @Test
    void anInstanceConsulMarksCriticalGetsNoRequest(TestInfo test) {
        List<Backend> backends = backends(test, 2);
        Gateway gateway = gateway(backends);
        Http1Client client = client(gateway);

        backends.get(0).healthy(false);
        await().atMost(Duration.ofSeconds(3))
                .until(() -> gateway.upstreams().get(service).orElseThrow().pool().size() == 1);
        int hitsBefore = backends.get(0).hits();
        for (int i = 0; i < 20; i++) {
            try (Http1ClientResponse res = client.get("/echo/after-critical").request()) {
                assertThat(res.status().code()).isEqualTo(200);
            }
        }

        assertThat(backends.get(0).hits()).isEqualTo(hitsBefore);
    }

    @Test
    void aPostWithoutIdempotencyKeyIsNotRetriedOnceItReachedAnInstance(TestInfo test) {
        List<Backend> backends = backends(test, 2);
        Http1Client client = client(gateway(backends));

        try (Http1ClientResponse res = client.post("/status/503").submit("{}")) {
            assertThat(res.status().code()).isEqualTo(503);
            assertThat(res.headers().first(HeaderNames.create("Gateway-Attempts")).orElseThrow()).doesNotContain(",");
        }

        assertThat(backends.get(0).hits() + backends.get(1).hits()).isEqualTo(1);
    }

    @Test
    void aPostWithIdempotencyKeyIsRetriedOnAnotherInstanceWhenTheRouteSaysItsInstancesHonourTheKey(TestInfo test) {
        List<Backend> backends = backends(test, 2);
        Gateway gateway = TestGateway.start(agent.url(), """
                  proxy:
                    attempts-header: true
                  routes:
                    - id: echo
                      path: /**
                      service: %s
                      retry:
                        idempotency-key-aware: true
                """.formatted(service));
        cleanup.add(gateway);
        awaitInstances(gateway, backends.size());

        try (Http1ClientResponse res = client(gateway).post("/status/503")
                .header(HeaderNames.create("Idempotency-Key"), "order-42")
                .submit("{}")) {
            assertThat(res.status().code()).isEqualTo(503);
            String attempts = res.headers().first(HeaderNames.create("Gateway-Attempts")).orElseThrow();
            assertThat(attempts).contains(backends.get(0).id()).contains(backends.get(1).id());
        }

        assertThat(backends.get(0).hits()).isEqualTo(1);
        assertThat(backends.get(1).hits()).isEqualTo(1);
    }

    @Test
    void aPostWithIdempotencyKeyIsNotRetriedOnARouteThatDoesNotSayItsInstancesHonourTheKey(TestInfo test) {
        List<Backend> backends = backends(test, 2);
        Http1Client client = client(gateway(backends));

        // an instance that ignores the key would create a second order on a retry
        try (Http1ClientResponse res = client.post("/status/503")
                .header(HeaderNames.create("Idempotency-Key"), "order-43")
                .submit("{}")) {
            assertThat(res.status().code()).isEqualTo(503);
            assertThat(res.headers().first(HeaderNames.create("Gateway-Attempts")).orElseThrow()).doesNotContain(",");
        }

        assertThat(backends.get(0).hits() + backends.get(1).hits()).isEqualTo(1);
    }

    @Test
    void anUpstreamSlowerThanTheTimeoutIsA504(TestInfo test) {
        List<Backend> backends = backends(test, 2);
        Gateway gateway = TestGateway.start(agent.url(), """
                  routes:
                    - id: slow
                      path: /**
                      service: %s
                      timeout: PT0.8S
                      per-try-timeout: PT0.3S
                """.formatted(service));
        cleanup.add(gateway);
        awaitInstances(gateway, backends.size());

        long started = System.nanoTime();
        try (Http1ClientResponse res = client(gateway).get("/slow").queryParam("ms", "3000").request()) {
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(res.status().code()).isEqualTo(504);
            assertThat(json(res).get("type").asText()).endsWith("/upstream-timeout");
            assertThat(millis).isLessThan(2_500);
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

    private Gateway gateway(List<Backend> backends) {
        Gateway gateway = TestGateway.withEchoRoute(agent.url(), service);
        cleanup.add(gateway);
        awaitInstances(gateway, backends.size());
        return gateway;
    }

    private void awaitInstances(Gateway gateway, int count) {
        TestGateway.awaitInstances(gateway, service, count);
    }

    private static Http1Client client(Gateway gateway) {
        return TestGateway.client(gateway);
    }

    private static JsonNode json(Http1ClientResponse res) {
        try {
            return JSON.readTree(res.as(String.class));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
