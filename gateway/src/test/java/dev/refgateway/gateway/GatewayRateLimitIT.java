package dev.refgateway.gateway;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.LongStream;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.gateway.ratelimit.RateLimiter;
import dev.refgateway.gateway.testing.Backend;
import dev.refgateway.gateway.testing.RedisServer;
import dev.refgateway.gateway.testing.TestGateway;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.refgateway.gateway.testing.GatewayMetricsText.metric;
import static dev.refgateway.gateway.testing.GatewayMetricsText.scrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rate limiting through real gateways in front of a real instance: exact limits under concurrency, per-caller
 * buckets, one limit shared by two gateways through a real {@code redis-server}, and what happens when Redis stops.
 * A limited request never reaches the instance.
 */
class GatewayRateLimitIT {

    private static final String SERVICE = "svc-rate-limit";
    private static final String ALICE_KEY = "alice-key-0123456789";
    private static final String BOB_KEY = "bob-key-0123456789";
    private static final HeaderName LIMIT = HeaderNames.create("RateLimit-Limit");
    private static final HeaderName REMAINING = HeaderNames.create("RateLimit-Remaining");
    private static final HeaderName RESET = HeaderNames.create("RateLimit-Reset");
    private static final HeaderName X_API_KEY = HeaderNames.create("X-API-Key");
    private static final Logger LIMITER_LOG = Logger.getLogger(RateLimiter.class.getName());

    private static Backend backend;
    private static Gateway local;

    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Handler logCapture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logLines.add(record.getLevel() + " " + MessageFormat.format(record.getMessage(), record.getParameters()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() throws Exception {
        ConsulAgent agent = ConsulAgent.shared();
        backend = Backend.start(SERVICE, agent.client());
        local = started(TestGateway.start(agent.url(), """
                  security:
                    api-keys:
                      - client-id: alice
                        sha256: %s
                      - client-id: bob
                        sha256: %s
                  routes:
                    - id: burst
                      path: /echo/burst/**
                      service: %s
                      rate-limit: {capacity: 20, refill: 20, period: 1h}
                    - id: keys
                      path: /echo/keys/**
                      service: %s
                      auth: {policy: api-key}
                      rate-limit: {capacity: 2, period: 1h}
                    - id: addresses
                      path: /echo/addresses/**
                      service: %s
                      rate-limit: {capacity: 2, period: 1h}
                    - id: open
                      path: /**
                      service: %s
                """.formatted(sha256(ALICE_KEY), sha256(BOB_KEY), SERVICE, SERVICE, SERVICE, SERVICE)));
    }

    @AfterAll
    static void stop() {
        if (local != null) {
            local.shutdown();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @BeforeEach
    void captureLog() {
        LIMITER_LOG.addHandler(logCapture);
    }

    @AfterEach
    void stopCapturingLog() {
        LIMITER_LOG.removeHandler(logCapture);
    }

    @Test
    void concurrentRequestsBeyondTheCapacityGet429AndOnlyTheCapacityReachesTheInstance() throws Exception {
        int hitsBefore = backend.hits();
        Http1Client client = client(local);

        List<Answer> answers = concurrently(26, i -> client.get("/echo/burst/" + i));

        List<Answer> allowed = answers.stream().filter(a -> a.status == 200).toList();
        List<Answer> limited = answers.stream().filter(a -> a.status == 429).toList();
        assertThat(allowed).hasSize(20);
        assertThat(limited).hasSize(6);
        // every token was handed out exactly once: the remaining counts of the allowed requests are 19 down to 0
        assertThat(allowed).map(a -> Long.parseLong(a.header(REMAINING)))
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, 20).boxed().toList());
        assertThat(allowed).allSatisfy(a -> assertThat(a.header(LIMIT)).isEqualTo("20"));
        assertThat(limited).allSatisfy(a -> {
            assertThat(a.contentType).isEqualTo("application/problem+json");
            assertThat(a.body).contains("\"type\":\"https://refgateway.dev/problems/rate-limited\"",
                                        "\"status\":429", "Rate limit of route burst exceeded");
            assertThat(a.header(LIMIT)).isEqualTo("20");
            assertThat(a.header(REMAINING)).isEqualTo("0");
            // one token every 180 s
            assertThat(Long.parseLong(a.header(HeaderNames.RETRY_AFTER))).isBetween(1L, 180L);
            assertThat(Long.parseLong(a.header(RESET))).isBetween(3400L, 3600L);
        });
        assertThat(backend.hits() - hitsBefore).isEqualTo(20);
        String metrics = scrape(local);
        assertThat(metric(metrics, "gateway_rate_limited_total", Map.of("route", "burst", "reason", "limit")))
                .hasValue(6.0);
        assertThat(metric(metrics, "gateway_requests_total", Map.of("route", "burst", "outcome", "rate-limited",
                                                                    "status_class", "4xx")))
                .hasValue(6.0);
    }

    @Test
    void eachApiKeyHasItsOwnBucket() {
        int hitsBefore = backend.hits();
        Http1Client client = client(local);

        List<Integer> alice = new ArrayList<>();
        List<Integer> bob = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            alice.add(status(client.get("/echo/keys/a").header(X_API_KEY, ALICE_KEY)));
            bob.add(status(client.get("/echo/keys/b").header(HeaderNames.AUTHORIZATION, "Bearer " + BOB_KEY)));
        }

        assertThat(alice).containsExactly(200, 200, 429);
        assertThat(bob).containsExactly(200, 200, 429);
        assertThat(backend.hits() - hitsBefore).isEqualTo(4);
    }

    @Test
    void authenticationFailuresAreCountedByRouteAndReasonBeforeAnyTokenIsTaken() {
        Http1Client client = client(local);
        String before = scrape(local);

        assertThat(status(client.get("/echo/keys/x"))).isEqualTo(401);
        assertThat(status(client.get("/echo/keys/x").header(X_API_KEY, "wrong-key-0123456789"))).isEqualTo(401);
        assertThat(status(client.get("/echo/keys/x").header(X_API_KEY, "wrong-key-0123456789"))).isEqualTo(401);

        String after = scrape(local);
        assertThat(delta(before, after, "gateway_auth_failures_total",
                         Map.of("route", "keys", "reason", "missing-credentials"))).isEqualTo(1.0);
        assertThat(delta(before, after, "gateway_auth_failures_total",
                         Map.of("route", "keys", "reason", "unknown-api-key"))).isEqualTo(2.0);
        assertThat(after).doesNotContain("wrong-key-0123456789");
        // refused before the limiter: nobody's bucket was touched
        assertThat(delta(before, after, "gateway_rate_limited_total", Map.of("route", "keys"))).isZero();
    }

    @Test
    void spoofedForwardedForValuesFromAnUntrustedPeerCountAsThatPeer() {
        int hitsBefore = backend.hits();
        Http1Client client = client(local);

        List<Integer> statuses = new ArrayList<>();
        for (String spoofed : List.of("198.51.100.1", "198.51.100.2", "198.51.100.3")) {
            statuses.add(status(client.get("/echo/addresses/x").header(HeaderNames.X_FORWARDED_FOR, spoofed)));
        }

        assertThat(statuses).containsExactly(200, 200, 429);
        assertThat(backend.hits() - hitsBefore).isEqualTo(2);
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnBucket() {
        Gateway gateway = started(TestGateway.start(ConsulAgent.shared().url(), """
                  proxy:
                    trusted-proxies: [127.0.0.1]
                  routes:
                    - id: behind-proxy
                      path: /**
                      service: %s
                      rate-limit: {capacity: 1, period: 1h}
                """.formatted(SERVICE)));
        try {
            Http1Client client = client(gateway);

            assertThat(status(client.get("/echo/p").header(HeaderNames.X_FORWARDED_FOR, "198.51.100.1")))
                    .isEqualTo(200);
            assertThat(status(client.get("/echo/p").header(HeaderNames.X_FORWARDED_FOR, "198.51.100.1")))
                    .isEqualTo(429);
            assertThat(status(client.get("/echo/p").header(HeaderNames.X_FORWARDED_FOR, "198.51.100.2")))
                    .isEqualTo(200);
        } finally {
            gateway.shutdown();
        }
    }

    @Test
    void aRouteWithoutALimitHasNoRateLimitHeaders() {
        try (Http1ClientResponse res = client(local).get("/echo/open").request()) {
            assertThat(res.status().code()).isEqualTo(200);
            assertThat(res.headers().contains(LIMIT)).isFalse();
            assertThat(res.headers().contains(REMAINING)).isFalse();
        }
    }

    @Test
    void twoGatewaysShareOneLimitThroughRedis() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            Gateway first = started(sharedGateway(redis.url(), "shared", 10, "fail-open"));
            Gateway second = started(sharedGateway(redis.url(), "shared", 10, "fail-open"));
            try {
                int hitsBefore = backend.hits();
                Http1Client toFirst = client(first);
                Http1Client toSecond = client(second);

                List<Answer> answers = concurrently(16, i -> (i % 2 == 0 ? toFirst : toSecond).get("/echo/s" + i));

                List<Answer> allowed = answers.stream().filter(a -> a.status == 200).toList();
                assertThat(allowed).hasSize(10);
                assertThat(answers).filteredOn(a -> a.status == 429).hasSize(6);
                assertThat(allowed).map(a -> Long.parseLong(a.header(REMAINING)))
                        .containsExactlyInAnyOrderElementsOf(LongStream.range(0, 10).boxed().toList());
                assertThat(backend.hits() - hitsBefore).isEqualTo(10);
                // each gateway alone would have allowed 10: both are out now
                assertThat(status(toFirst.get("/echo/after"))).isEqualTo(429);
                assertThat(status(toSecond.get("/echo/after"))).isEqualTo(429);
                assertThat(metric(scrape(first), "gateway_rate_limit_fallbacks_total", Map.of("route", "shared")))
                        .isEmpty();
                assertThat(logLines).noneMatch(line -> line.contains("does not answer"));
            } finally {
                first.shutdown();
                second.shutdown();
            }
        }
    }

    @Test
    void whenRedisStopsFailOpenServesFromLocalBucketsFailClosedAnswers503AndBothRecover() {
        try (RedisServer redis = RedisServer.start()) {
            Gateway open = started(sharedGateway(redis.url(), "fails-open", 100, "fail-open"));
            Gateway closed = started(sharedGateway(redis.url(), "fails-closed", 100, "fail-closed"));
            try {
                Http1Client toOpen = client(open);
                Http1Client toClosed = client(closed);
                assertThat(status(toOpen.get("/echo/up"))).isEqualTo(200);
                assertThat(status(toClosed.get("/echo/up"))).isEqualTo(200);
                String before = scrape(open);

                redis.stop();
                int hitsBefore = backend.hits();
                List<Answer> openAnswers = new ArrayList<>();
                List<Answer> closedAnswers = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    openAnswers.add(answer(toOpen.get("/echo/down")));
                    closedAnswers.add(answer(toClosed.get("/echo/down")));
                }

                // fail-open: this gateway's own bucket, fresh and full, decides
                assertThat(openAnswers).map(a -> a.status).containsOnly(200);
                assertThat(openAnswers).map(a -> a.header(REMAINING)).containsExactly("99", "98", "97", "96", "95");
                // fail-closed: nothing passes uncounted
                assertThat(closedAnswers).allSatisfy(a -> {
                    assertThat(a.status).isEqualTo(503);
                    assertThat(a.contentType).isEqualTo("application/problem+json");
                    assertThat(a.body).contains("\"type\":\"https://refgateway.dev/problems/rate-limiter-unavailable\"",
                                                "\"status\":503");
                    assertThat(a.header(HeaderNames.RETRY_AFTER)).isEqualTo("1");
                });
                assertThat(backend.hits() - hitsBefore).isEqualTo(5);
                String after = scrape(open);
                assertThat(delta(before, after, "gateway_rate_limit_fallbacks_total", Map.of("route", "fails-open")))
                        .isEqualTo(5.0);
                assertThat(delta(before, after, "gateway_rate_limited_total",
                                 Map.of("route", "fails-closed", "reason", "redis-unavailable"))).isEqualTo(5.0);
                assertThat(delta(before, after, "gateway_rate_limit_redis_outages_total", Map.of())).isEqualTo(2.0);
                // one warning per gateway for the whole outage, not one per request
                assertThat(logLines).filteredOn(line -> line.startsWith("WARNING") && line.contains("fail-open"))
                        .hasSize(1);
                assertThat(logLines).filteredOn(line -> line.startsWith("WARNING") && line.contains("fail-closed"))
                        .hasSize(1);

                redis.restart();
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                        .until(() -> status(toClosed.get("/echo/back")) == 200);
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                        .until(() -> recoveries() == 1);
                // Redis came back empty: the fail-open gateway counts in a fresh shared bucket again
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                        .until(() -> "99".equals(answer(toOpen.get("/echo/back")).header(REMAINING))
                                && recoveries() == 2);
                assertThat(logLines).filteredOn(line -> line.startsWith("WARNING")).hasSize(2);
            } finally {
                open.shutdown();
                closed.shutdown();
            }
        }
    }

    private long recoveries() {
        return logLines.stream().filter(line -> line.startsWith("INFO") && line.contains("answers again after")).count();
    }

    private static Gateway sharedGateway(URI redis, String routeId, int capacity, String onFailure) {
        return TestGateway.start(ConsulAgent.shared().url(), """
                  rate-limit:
                    redis:
                      url: %s
                      timeout: 500ms
                      on-failure: %s
                  routes:
                    - id: %s
                      path: /**
                      service: %s
                      rate-limit: {capacity: %d, period: 1h}
                """.formatted(redis, onFailure, routeId, SERVICE, capacity));
    }

    private static Gateway started(Gateway gateway) {
        TestGateway.awaitInstances(gateway, SERVICE, 1);
        return gateway;
    }

    private static Http1Client client(Gateway gateway) {
        return TestGateway.client(gateway);
    }

    /** Sends {@code count} requests at once (all threads start together) and collects the answers. */
    private static List<Answer> concurrently(int count, IntFunction<Http1ClientRequest> request) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Answer>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(threads.submit(() -> {
                    Http1ClientRequest prepared = request.apply(index);
                    go.await();
                    return answer(prepared);
                }));
            }
            go.countDown();
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> future : futures) {
                answers.add(future.get());
            }
            return answers;
        }
    }

    private static int status(Http1ClientRequest request) {
        return answer(request).status;
    }

    private static Answer answer(Http1ClientRequest request) {
        try (Http1ClientResponse res = request.request()) {
            Map<String, String> headers = new HashMap<>();
            for (HeaderName name : List.of(LIMIT, REMAINING, RESET, HeaderNames.RETRY_AFTER)) {
                res.headers().first(name).ifPresent(value -> headers.put(name.lowerCase(), value));
            }
            return new Answer(res.status().code(), res.headers().contentType().map(Object::toString).orElse(""),
                              headers, res.as(String.class));
        }
    }


    private static double delta(String before, String after, String name, Map<String, String> labels) {
        return metric(after, name, labels).orElse(0) - metric(before, name, labels).orElse(0);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private record Answer(int status, String contentType, Map<String, String> headers, String body) {

        String header(HeaderName name) {
            return headers.get(name.lowerCase());
        }
    }
}
