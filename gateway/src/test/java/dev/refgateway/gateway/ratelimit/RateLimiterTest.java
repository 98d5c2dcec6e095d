package dev.refgateway.gateway.ratelimit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.refgateway.gateway.routing.Route;
import dev.refgateway.gateway.security.Identity;

import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Token buckets on a controlled clock: exact header values, independent callers, bounded memory, Redis down. */
class RateLimiterTest {

    private static final Route USERS = Route.of("users", "/users/**", "user-service");
    private static final Route ORDERS = Route.of("orders", "/orders/**", "order-service");
    private static final Route OPEN = Route.of("open", "/**", "user-service");

    private final FakeClock clock = new FakeClock();

    @Test
    void allowedRequestsCountDownRemainingAndReset() {
        try (RateLimiter limiter = limiter(new RateLimit(3, 3, Duration.ofSeconds(3)))) {
            // one token a second: after n requests the bucket is full again in n seconds
            assertThat(check(limiter, "alice")).isEqualTo(new Outcome.Allowed(3, 2, 1));
            assertThat(check(limiter, "alice")).isEqualTo(new Outcome.Allowed(3, 1, 2));
            assertThat(check(limiter, "alice")).isEqualTo(new Outcome.Allowed(3, 0, 3));
            assertThat(check(limiter, "alice")).isEqualTo(new Outcome.Limited(3, 3, 1));
        }
    }

    @Test
    void retryAfterAndResetAreRoundedUpAndATokenComesBackInTime() {
        // 2 tokens per 3 s: one every 1.5 s; an empty bucket of 3 is full after 4.5 s
        try (RateLimiter limiter = limiter(new RateLimit(3, 2, Duration.ofSeconds(3)))) {
            for (int i = 0; i < 3; i++) {
                assertThat(check(limiter, "alice").allowed()).isTrue();
            }

            assertThat(check(limiter, "alice")).isEqualTo(new Outcome.Limited(3, 5, 2));

            clock.advance(Duration.ofMillis(1499));
            assertThat(check(limiter, "alice")).isEqualTo(new Outcome.Limited(3, 4, 1));

            clock.advance(Duration.ofMillis(1));
            assertThat(check(limiter, "alice")).isEqualTo(new Outcome.Allowed(3, 0, 5));
        }
    }

    @Test
    void eachCallerHasItsOwnBucket() {
        try (RateLimiter limiter = limiter(new RateLimit(1, 1, Duration.ofHours(1)))) {
            assertThat(limiter.check(USERS, apiKey("alice"), null).allowed()).isTrue();
            assertThat(limiter.check(USERS, apiKey("alice"), null).allowed()).isFalse();
            assertThat(limiter.check(USERS, apiKey("bob"), null).allowed()).isTrue();
            // a JWT subject that happens to equal a client id is another caller
            assertThat(limiter.check(USERS, jwt("alice"), null).allowed()).isTrue();
            assertThat(limiter.check(USERS, jwt("alice"), null).allowed()).isFalse();
            assertThat(limiter.check(USERS, Identity.ANONYMOUS, "10.0.0.1").allowed()).isTrue();
            assertThat(limiter.check(USERS, Identity.ANONYMOUS, "10.0.0.1").allowed()).isFalse();
            assertThat(limiter.check(USERS, Identity.ANONYMOUS, "10.0.0.2").allowed()).isTrue();
        }
    }

    @Test
    void eachRouteHasItsOwnBucketsAndItsOwnLimit() {
        RateLimitSettings settings = RateLimitSettings.local(Map.of(
                "users", new RateLimit(1, 1, Duration.ofHours(1)),
                "orders", new RateLimit(2, 2, Duration.ofHours(1))));
        try (RateLimiter limiter = RateLimiter.create(settings, RateLimiter.Events.NONE, clock)) {
            assertThat(limiter.check(USERS, apiKey("alice"), null).allowed()).isTrue();
            assertThat(limiter.check(USERS, apiKey("alice"), null).allowed()).isFalse();

            assertThat(limiter.check(ORDERS, apiKey("alice"), null)).isEqualTo(new Outcome.Allowed(2, 1, 1800));
            assertThat(limiter.check(ORDERS, apiKey("alice"), null)).isEqualTo(new Outcome.Allowed(2, 0, 3600));
            assertThat(limiter.check(ORDERS, apiKey("alice"), null)).isEqualTo(new Outcome.Limited(2, 3600, 1800));
        }
    }

    @Test
    void aRouteWithoutALimitIsNeverLimitedAndGetsNoHeaders() {
        try (RateLimiter limiter = limiter(new RateLimit(1, 1, Duration.ofHours(1)))) {
            assertThat(limiter.limits(OPEN)).isFalse();
            for (int i = 0; i < 5; i++) {
                assertThat(limiter.check(OPEN, Identity.ANONYMOUS, "10.0.0.1")).isEqualTo(Outcome.unlimited());
            }
        }
    }

    @Test
    void oneOffAddressesCannotGrowLocalBucketsBeyondTheBound() {
        RateLimitSettings settings = new RateLimitSettings(
                Optional.empty(), Map.of("users", new RateLimit(10, 10, Duration.ofHours(1))), 100, Optional.empty());
        try (RateLimiter limiter = RateLimiter.create(settings, RateLimiter.Events.NONE, clock)) {
            for (int i = 0; i < 3_000; i++) {
                assertThat(limiter.check(USERS, Identity.ANONYMOUS, "10.0." + (i / 256) + "." + (i % 256))
                                   .allowed()).isTrue();
            }

            assertThat(limiter.localBuckets()).isLessThanOrEqualTo(100);
        }
    }

    @Test
    void anAnonymousCallerNeedsAnAddress() {
        try (RateLimiter limiter = limiter(new RateLimit(1, 1, Duration.ofHours(1)))) {
            assertThatThrownBy(() -> limiter.check(USERS, Identity.ANONYMOUS, null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("clientIp");
        }
    }

    @Test
    void failOpenWithoutRedisLimitsLocallyAndLogsTheOutageOnce() throws IOException {
        CountingEvents events = new CountingEvents();
        List<String> warnings = captureWarnings();
        RateLimitSettings settings = RateLimitSettings.local(Map.of("users", new RateLimit(3, 3, Duration.ofHours(1))))
                .withRedis(RateLimitRedisSettings.of(URI.create("redis://127.0.0.1:" + closedPort())));
        try (RateLimiter limiter = RateLimiter.create(settings, events, clock)) {
            List<Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                outcomes.add(limiter.check(USERS, apiKey("alice"), null));
            }

            assertThat(outcomes).containsExactly(new Outcome.Allowed(3, 2, 1200), new Outcome.Allowed(3, 1, 2400),
                                                 new Outcome.Allowed(3, 0, 3600), new Outcome.Limited(3, 3600, 1200),
                                                 new Outcome.Limited(3, 3600, 1200));
            assertThat(limiter.sharedAvailable()).isFalse();
            assertThat(events.fallbacks.get()).isEqualTo(5);
            assertThat(events.outages.get()).isEqualTo(1);
            assertThat(warnings).hasSize(1);
            assertThat(warnings.getFirst()).contains("Redis at redis://127.0.0.1:", "does not answer", "fail-open");
        } finally {
            stopCapturing();
        }
    }

    @Test
    void failClosedWithoutRedisAnswersUnavailable() throws IOException {
        CountingEvents events = new CountingEvents();
        RateLimitSettings settings = RateLimitSettings.local(Map.of("users", new RateLimit(3, 3, Duration.ofHours(1))))
                .withRedis(RateLimitRedisSettings.of(URI.create("redis://127.0.0.1:" + closedPort()))
                                   .withOnFailure(RateLimitRedisSettings.OnFailure.FAIL_CLOSED));
        try (RateLimiter limiter = RateLimiter.create(settings, events, clock)) {
            assertThat(limiter.check(USERS, apiKey("alice"), null)).isEqualTo(new Outcome.Unavailable(1));
            assertThat(limiter.check(USERS, Identity.ANONYMOUS, "10.0.0.1")).isEqualTo(new Outcome.Unavailable(1));
            // a route without a limit does not depend on Redis
            assertThat(limiter.check(OPEN, Identity.ANONYMOUS, "10.0.0.1")).isEqualTo(Outcome.unlimited());
            assertThat(events.fallbacks.get()).isZero();
            assertThat(events.outages.get()).isEqualTo(1);
        }
    }

    private RateLimiter limiter(RateLimit usersLimit) {
        return RateLimiter.create(RateLimitSettings.local(Map.of("users", usersLimit)), RateLimiter.Events.NONE, clock);
    }

    private static Outcome check(RateLimiter limiter, String clientId) {
        return limiter.check(USERS, apiKey(clientId), null);
    }

    private static Identity apiKey(String clientId) {
        return Identity.apiKey(clientId, List.of());
    }

    private static Identity jwt(String subject) {
        return Identity.jwt(subject, Optional.empty(), List.of());
    }

    // A port nothing listens on: connections are refused at once.
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static final Logger LOGGER = Logger.getLogger(RateLimiter.class.getName());
    private Handler capture;

    private List<String> captureWarnings() {
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(java.text.MessageFormat.format(record.getMessage(), record.getParameters()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        LOGGER.addHandler(capture);
        return warnings;
    }

    private void stopCapturing() {
        LOGGER.removeHandler(capture);
    }

    private static final class FakeClock implements TimeMeter {

        private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        void advance(Duration duration) {
            nanos.addAndGet(duration.toNanos());
        }

        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }

    private static final class CountingEvents implements RateLimiter.Events {

        final AtomicInteger outages = new AtomicInteger();
        final AtomicInteger fallbacks = new AtomicInteger();

        @Override
        public void redisOutage() {
            outages.incrementAndGet();
        }

        @Override
        public void fallback(String routeId) {
            fallbacks.incrementAndGet();
        }
    }
}
