package dev.refgateway.gateway.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 * @param maxLocalBuckets how many callers' buckets one replica keeps (local mode, and the fallback of shared mode);
 *                        default 100000. A bucket idle until it is full again is dropped anyway; beyond this number
 *                        the least recently used go first, so made-up client addresses cannot exhaust memory
 * @param redis           where shared buckets live; empty: each replica counts on its own
 */
public record RateLimitSettings(Optional<RateLimit> defaultLimit,
                                Map<String, RateLimit> routes,
                                int maxLocalBuckets,
                                Optional<RateLimitRedisSettings> redis) {

    /** Default of {@link #maxLocalBuckets()}. */
    public static final int DEFAULT_MAX_LOCAL_BUCKETS = 100_000;

    private static final Set<String> KEYS = Set.of("default", "max-local-buckets", "redis");
    private static final int MAX_LOCAL_BUCKETS = 100_000_000;
    private static final RateLimitSettings NONE =
            new RateLimitSettings(Optional.empty(), Map.of(), DEFAULT_MAX_LOCAL_BUCKETS, Optional.empty());

    public RateLimitSettings {
        Objects.requireNonNull(defaultLimit, "defaultLimit");
        Objects.requireNonNull(routes, "routes");
        Objects.requireNonNull(redis, "redis");
        Check.range("maxLocalBuckets", maxLocalBuckets, 1, MAX_LOCAL_BUCKETS);
        // insertion order kept for logs and the admin view
        routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
    }

    /** Nothing limited. */
    public static RateLimitSettings none() {
        return NONE;
    }

    /** Local buckets with the given limits by route id, and no default. */
    public static RateLimitSettings local(Map<String, RateLimit> routes) {
        return new RateLimitSettings(Optional.empty(), routes, DEFAULT_MAX_LOCAL_BUCKETS, Optional.empty());
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

    static RateLimitSettings read(ConfigNode node, ConfigNode routesNode) {
        node.allowOnly(KEYS);
        Optional<RateLimit> defaultLimit = limit(node.get("default"));
        Map<String, RateLimit> routes = new LinkedHashMap<>();
        for (ConfigNode route : routesNode.elements("a list of routes")) {
            String id = route.get("id").requiredText("a route id");
            ConfigNode own = route.get("rate-limit");
            Optional<RateLimit> limit = own.exists() ? limit(own) : defaultLimit;
            limit.ifPresent(l -> routes.put(id, l));
        }
        return new RateLimitSettings(defaultLimit,
                                     routes,
                                     node.get("max-local-buckets").intIn(DEFAULT_MAX_LOCAL_BUCKETS, 1,
                                                                         MAX_LOCAL_BUCKETS),
                                     RateLimitRedisSettings.read(node.get("redis")));
    }

    // {enabled: false} turns a limit off; any other map is a limit, whose capacity is then required.
    private static Optional<RateLimit> limit(ConfigNode node) {
        if (!node.exists()) {
            return Optional.empty();
        }
        node.allowOnly(RateLimit.KEYS);
        if (!node.get("enabled").bool(true)) {
            return Optional.empty();
        }
        return Optional.of(RateLimit.read(node));
    }
}
