package dev.refgateway.gateway.ratelimit;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.refgateway.gateway.config.ConfigException;
import dev.refgateway.gateway.settings.GatewaySettings;
import dev.refgateway.gateway.settings.GatewaySettingsTest;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code gateway.rate-limit} and the routes' {@code rate-limit}: defaults, inheritance and every rejected value. */
class RateLimitSettingsTest {

    private static final String ROUTES = """
              routes:
                - id: users
                  path: /users/**
                  service: user-service
                - id: orders
                  path: /orders/**
                  service: order-service
            """;

    @Test
    void nothingIsLimitedUnlessConfigured() {
        RateLimitSettings settings = GatewaySettingsTest.settings("gateway:\n" + ROUTES).rateLimit();

        assertThat(settings).isEqualTo(RateLimitSettings.none());
        assertThat(settings.enabled()).isFalse();
        assertThat(settings.maxLocalBuckets()).isEqualTo(100_000);
        assertThat(settings.redis()).isEmpty();
    }

    @Test
    void theShippedConfigurationLimitsNothing() {
        Config config = Config.just(ConfigSources.classpath("application.yaml"));

        RateLimitSettings settings = GatewaySettings.create(config.get("gateway")).rateLimit();

        assertThat(settings.routes()).isEmpty();
        assertThat(settings.redis()).isEmpty();
    }

    @Test
    void aRouteLimitNeedsOnlyItsCapacity() {
        RateLimitSettings settings = rateLimit("""
                  routes:
                    - id: users
                      path: /users/**
                      service: user-service
                      rate-limit: {capacity: 10}
                    - id: orders
                      path: /orders/**
                      service: order-service
                      rate-limit: {capacity: 20, refill: 600, period: 1m}
                """);

        assertThat(settings.routes()).containsExactly(
                Map.entry("users", new RateLimit(10, 10, Duration.ofSeconds(1))),
                Map.entry("orders", new RateLimit(20, 600, Duration.ofMinutes(1))));
        assertThat(settings.defaultLimit()).isEmpty();
    }

    @Test
    void theDefaultAppliesToRoutesWithoutTheirOwnAndCanBeTurnedOffPerRoute() {
        RateLimitSettings settings = rateLimit("""
                  rate-limit:
                    default: {capacity: 100, refill: 50, period: 2s}
                  routes:
                    - id: users
                      path: /users/**
                      service: user-service
                    - id: orders
                      path: /orders/**
                      service: order-service
                      rate-limit: {capacity: 5}
                    - id: health
                      path: /health
                      service: user-service
                      rate-limit: {enabled: false}
                """);

        assertThat(settings.defaultLimit()).contains(new RateLimit(100, 50, Duration.ofSeconds(2)));
        assertThat(settings.limitOf("users")).contains(new RateLimit(100, 50, Duration.ofSeconds(2)));
        // a route's own limit replaces the default as a whole: refill follows its own capacity, not the default's
        assertThat(settings.limitOf("orders")).contains(new RateLimit(5, 5, Duration.ofSeconds(1)));
        assertThat(settings.limitOf("health")).isEmpty();
    }

    @Test
    void redisGetsItsDefaults() {
        RateLimitSettings settings = rateLimit("""
                  rate-limit:
                    max-local-buckets: 500
                    redis:
                      url: redis://127.0.0.1:6379
                """ + ROUTES);

        assertThat(settings.maxLocalBuckets()).isEqualTo(500);
        assertThat(settings.redis()).contains(new RateLimitRedisSettings(
                URI.create("redis://127.0.0.1:6379"), Duration.ofMillis(200),
                RateLimitRedisSettings.OnFailure.FAIL_OPEN, "refgateway:rate-limit:"));
    }

    @Test
    void redisReadsEveryKey() {
        RateLimitSettings settings = rateLimit("""
                  rate-limit:
                    redis:
                      url: rediss://redis.example.com:6380/2
                      timeout: 1s
                      on-failure: fail-closed
                      key-prefix: "edge:"
                """ + ROUTES);

        assertThat(settings.redis()).contains(new RateLimitRedisSettings(
                URI.create("rediss://redis.example.com:6380/2"), Duration.ofSeconds(1),
                RateLimitRedisSettings.OnFailure.FAIL_CLOSED, "edge:"));
    }

    @Test
    void aPasswordInTheRedisUrlIsNeverPrinted() {
        RateLimitRedisSettings redis = RateLimitRedisSettings.of(URI.create("redis://:s3cret-pw@redis.internal:6379"));

        assertThat(redis.toString()).contains("redis://(redacted)@redis.internal:6379").doesNotContain("s3cret-pw");
        assertThat(redis.displayUrl()).doesNotContain("s3cret-pw");
        assertThatThrownBy(() -> rateLimit("""
                  rate-limit:
                    redis:
                      url: http://user:s3cret-pw@redis.internal:6379
                """ + ROUTES))
                .hasMessage("gateway.rate-limit.redis.url: \"http://(redacted)@redis.internal:6379\" (expected: scheme "
                            + "redis:// or rediss://)");
    }

    @Test
    void timeToFillIsCapacityOverRefillRate() {
        assertThat(new RateLimit(10, 10, Duration.ofSeconds(1)).timeToFill()).isEqualTo(Duration.ofSeconds(1));
        assertThat(new RateLimit(20, 600, Duration.ofMinutes(1)).timeToFill()).isEqualTo(Duration.ofSeconds(2));
        assertThat(new RateLimit(3, 2, Duration.ofSeconds(3)).timeToFill()).isEqualTo(Duration.ofMillis(4500));
    }

    @Test
    void invalidValuesAreNamedWithTheirFullKey() {
        assertRejected("""
                  routes:
                    - id: users
                      path: /users/**
                      service: user-service
                      rate-limit: {capacity: 0}
                """, "gateway.routes[0].rate-limit.capacity: 0 (expected: >= 1)");
        assertRejected("""
                  routes:
                    - id: users
                      path: /users/**
                      service: user-service
                      rate-limit: {refill: 10}
                """, "gateway.routes[0].rate-limit.capacity: missing (expected: the requests a caller may send at "
                     + "once, >= 1)");
        assertRejected("""
                  routes:
                    - id: users
                      path: /users/**
                      service: user-service
                      rate-limit: {capacity: ten}
                """, "gateway.routes[0].rate-limit.capacity: \"ten\" (expected: an integer)");
        assertRejected("""
                  routes:
                    - id: users
                      path: /users/**
                      service: user-service
                      rate-limit: {capacity: 10, refill: -1}
                """, "gateway.routes[0].rate-limit.refill: -1 (expected: >= 1)");
        assertRejected("""
                  routes:
                    - id: users
                      path: /users/**
                      service: user-service
                      rate-limit: {capacity: 10, period: fast}
                """, "gateway.routes[0].rate-limit.period: \"fast\" (expected: a duration such as 15s, 250ms or "
                     + "PT15S)");
        assertRejected("""
                  routes:
                    - id: users
                      path: /users/**
                      service: user-service
                      rate-limit: {capacity: 10, period: 0s}
                """, "gateway.routes[0].rate-limit.period: \"0s\" (expected: >= 1ms)");
        assertRejected("""
                  routes:
                    - id: users
                      path: /users/**
                      service: user-service
                      rate-limit: {capacty: 10}
                """, "gateway.routes[0].rate-limit.capacty: unknown key (expected: one of capacity, enabled, period, "
                     + "refill; did you mean 'capacity'?)");
        assertRejected("""
                  routes:
                    - id: users
                      path: /users/**
                      service: user-service
                      rate-limit: 100
                """, "gateway.routes[0].rate-limit: \"100\" (expected: a map with keys capacity, enabled, period, "
                     + "refill)");
        assertRejected("""
                  routes:
                    - id: users
                      path: /users/**
                      service: user-service
                      rate-limit: {enabled: maybe, capacity: 1}
                """, "gateway.routes[0].rate-limit.enabled: \"maybe\" (expected: true or false)");
    }

    @Test
    void invalidGatewayWideValuesAreNamedWithTheirFullKey() {
        assertRejected("""
                  rate-limit:
                    default: {capacity: 0}
                """ + ROUTES, "gateway.rate-limit.default.capacity: 0 (expected: >= 1)");
        assertRejected("""
                  rate-limit:
                    max-local-buckets: 0
                """ + ROUTES, "gateway.rate-limit.max-local-buckets: 0 (expected: 1 to 100000000)");
        assertRejected("""
                  rate-limit:
                    defaults: {capacity: 1}
                """ + ROUTES, "gateway.rate-limit.defaults: unknown key (expected: one of default, "
                              + "max-local-buckets, redis; did you mean 'default'?)");
        assertRejected("""
                  rate-limit:
                    redis:
                      timeout: 200ms
                """ + ROUTES, "gateway.rate-limit.redis.url: missing (expected: a Redis URL such as "
                              + "redis://127.0.0.1:6379 or rediss://:PASSWORD@redis.example.com:6380/0)");
        assertRejected("""
                  rate-limit:
                    redis:
                      url: redis:///no-host
                """ + ROUTES, "gateway.rate-limit.redis.url: \"redis:///no-host\" (expected: a host, as in "
                              + "redis://127.0.0.1:6379)");
        assertRejected("""
                  rate-limit:
                    redis:
                      url: redis://127.0.0.1:6379/buckets
                """ + ROUTES, "gateway.rate-limit.redis.url: \"redis://127.0.0.1:6379/buckets\" (expected: no path but "
                              + "a database number, as in redis://127.0.0.1:6379/0)");
        assertRejected("""
                  rate-limit:
                    redis:
                      url: redis://127.0.0.1:6379
                      timeout: 30s
                """ + ROUTES, "gateway.rate-limit.redis.timeout: \"30s\" (expected: <= 10s)");
        assertRejected("""
                  rate-limit:
                    redis:
                      url: redis://127.0.0.1:6379
                      timeout: 0ms
                """ + ROUTES, "gateway.rate-limit.redis.timeout: \"0ms\" (expected: >= 1ms)");
        assertRejected("""
                  rate-limit:
                    redis:
                      url: redis://127.0.0.1:6379
                      on-failure: ignore
                """ + ROUTES, "gateway.rate-limit.redis.on-failure: \"ignore\" (expected: fail-open or fail-closed)");
    }

    @Test
    void recordsBuiltInCodeAreCheckedToo() {
        assertThatThrownBy(() -> new RateLimit(0, 1, Duration.ofSeconds(1)))
                .hasMessage("capacity: 0 (expected: >= 1)");
        assertThatThrownBy(() -> new RateLimit(1, 1, Duration.ZERO))
                .hasMessage("period: PT0S (expected: >= 1ms)");
        assertThatThrownBy(() -> new RateLimitRedisSettings(URI.create("redis://127.0.0.1:6379"), Duration.ZERO,
                                                            RateLimitRedisSettings.OnFailure.FAIL_OPEN, "p:"))
                .hasMessage("timeout: PT0S (expected: 1ms to 10s)");
        assertThatThrownBy(() -> new RateLimitSettings(Optional.empty(), Map.of(), 0, Optional.empty()))
                .hasMessage("maxLocalBuckets: 0 (expected: 1 to 100000000)");
    }

    private static RateLimitSettings rateLimit(String gatewayBody) {
        return GatewaySettingsTest.settings("gateway:\n" + gatewayBody).rateLimit();
    }

    private static void assertRejected(String gatewayBody, String message) {
        Config config = Config.just(ConfigSources.create("gateway:\n" + gatewayBody, MediaTypes.APPLICATION_X_YAML));
        assertThatThrownBy(() -> GatewaySettings.create(config.get("gateway")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }
}
