package dev.refgateway.gateway.ratelimit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;
import dev.refgateway.gateway.config.PerRoute;

import io.helidon.config.Config;

/**
 * Rate limits: a token bucket per route and caller (the API key's client, the JWT's subject, or the client's address
 * when the route is public). Off unless configured: routes without a limit, and no {@code default}, are never limited.
 *
 * <pre>
 * gateway:
 *   rate-limit:
 *     default: {capacity: 100, refill: 100, period: 1s}   # optional: routes without their own rate-limit
 *     max-local-buckets: 100000     # callers one replica keeps buckets for; the least recently seen go first
 *     redis: {...}                  # optional: share buckets between replicas; see RateLimitRedisSettings
 *   routes:
 *     - id: users
 *       rate-limit: {capacity: 10, refill: 10, period: 1s}   # see RateLimit; replaces the default as a whole
 *     - id: health
 *       rate-limit: {enabled: false}                         # not limited, whatever the default
 * </pre>
 *
 * @param defaultLimit    the limit of routes that do not set one; empty: such routes are not limited
 * @param routes          the effective limit of each limited route, by route id (the default applied)
 * @param maxLocalBuckets see {@link #MAX_LOCAL_BUCKETS}
 * @param redis           where shared buckets live; empty: each replica counts on its own
 */
public record RateLimitSettings(Optional<RateLimit> defaultLimit,
                                Map<String, RateLimit> routes,
                                int maxLocalBuckets,
                                Optional<RateLimitRedisSettings> redis) {

    public static final Option.Section DEFAULT = Option.section(
            "default", "map", "The limit of routes without their own rate-limit (see gateway.routes[i].rate-limit); "
                    + "none: such routes are not limited.");
    public static final Option.Int MAX_LOCAL_BUCKETS = Option.integer(
            "max-local-buckets", 100_000, 1, 100_000_000,
            "Callers one replica keeps buckets for (local mode, and the fallback of shared mode). A bucket idle until "
                    + "full is dropped anyway; beyond this the least recently used go first, so made-up client "
                    + "addresses cannot exhaust memory.");
    public static final Option.Section REDIS = Option.section(
            "redis", "map", "Share buckets between replicas: see gateway.rate-limit.redis.");
    public static final Options OPTIONS = Options.of(
            "gateway.rate-limit", "Token buckets per route and caller; off unless configured.",
            DEFAULT, MAX_LOCAL_BUCKETS, REDIS);

    private static final RateLimitSettings NONE =
            new RateLimitSettings(Optional.empty(), Map.of(), MAX_LOCAL_BUCKETS.defaultValue(), Optional.empty());

    public RateLimitSettings {
        Objects.requireNonNull(defaultLimit, "defaultLimit");
        Objects.requireNonNull(routes, "routes");
        Objects.requireNonNull(redis, "redis");
        MAX_LOCAL_BUCKETS.check(maxLocalBuckets);
        // insertion order kept for logs and the admin view
        routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
    }

    /** Nothing limited. */
    public static RateLimitSettings none() {
        return NONE;
    }

    /** Local buckets with the given limits by route id, and no default. */
    public static RateLimitSettings local(Map<String, RateLimit> routes) {
        return new RateLimitSettings(Optional.empty(), routes, MAX_LOCAL_BUCKETS.defaultValue(), Optional.empty());
    }

    /**
     * Reads {@code gateway.rate-limit} and the {@code rate-limit} of every route.
     *
     * @param gateway the {@code gateway} node; its routes must be valid already
     */
    public static RateLimitSettings create(Config gateway) {
        ConfigNode node = ConfigNode.of(gateway);
        return read(node.get("rate-limit"), node.get("routes"));
    }

    /** The limit of route {@code routeId}, if it has one. */
    public Optional<RateLimit> limitOf(String routeId) {
        return Optional.ofNullable(routes.get(routeId));
    }

    /** Whether any route is limited. */
    public boolean enabled() {
        return !routes.isEmpty();
    }

    /** This with buckets in Redis. */
    public RateLimitSettings withRedis(RateLimitRedisSettings redis) {
        return new RateLimitSettings(defaultLimit, routes, maxLocalBuckets, Optional.of(redis));
    }

    /** Reads {@code gateway.rate-limit} and the {@code rate-limit} of every route in {@code routesNode}. */
    public static RateLimitSettings read(ConfigNode node, ConfigNode routesNode) {
        Options.Values values = OPTIONS.read(node);
        Optional<RateLimit> defaultLimit = RateLimit.read(values.get(DEFAULT));
        return new RateLimitSettings(defaultLimit,
                                     PerRoute.read(routesNode, "rate-limit", defaultLimit, RateLimit::read),
                                     values.get(MAX_LOCAL_BUCKETS),
                                     RateLimitRedisSettings.read(values.get(REDIS)));
    }
}
