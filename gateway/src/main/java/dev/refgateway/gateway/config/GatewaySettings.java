package dev.refgateway.gateway.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

import dev.refgateway.gateway.routing.RoutePolicy;
import dev.refgateway.gateway.routing.RouteTable;

import io.helidon.config.Config;

/**
 * Everything the gateway reads from the {@code gateway} config node, validated once at start-up. An invalid
 * value stops the start with a {@link ConfigException} naming the full key and the value.
 *
 * <pre>
 * gateway:
 *   shutdown-drain-timeout: 10s       # on SIGTERM, requests in progress get this long to finish
 *   defaults:                         # every route's policy unless the route says otherwise
 *     timeout: 15s                    # whole request, retries included
 *     per-try-timeout: 5s             # one attempt; at most timeout
 *     retry: {...}                    # see RetrySettings
 *   outlier: {...}                    # see OutlierSettings
 *   circuit-breaker: {...}            # see CircuitBreakerSettings
 *   bulkhead: {...}                   # see BulkheadSettings
 *   proxy: {...}                      # see ProxySettings
 *   routes:                           # at least one
 *     - id: users                     # required, unique; letters, digits, '.', '_', '-'
 *       path: /users/**               # required; see PathPattern
 *       service: user-service         # required; the Consul service name
 *       methods: [GET, POST]          # optional; default any
 *       host: "*.example.com"         # optional; see HostMatcher
 *       headers:                      # optional; all must hold; see HeaderMatcher
 *         - {name: X-Api-Version, value: "2"}
 *       strip-prefix: 1               # optional: drop leading segments ...
 *       rewrite:                      # ... or rewrite with a regex (not both)
 *         regex: ^/users/(.*)
 *         replacement: /v2/users/$1
 *       timeout: 2s                   # optional overrides of gateway.defaults
 *       per-try-timeout: 1s
 *       retry: {max-attempts: 2}      # only the keys given replace the defaults' values
 *       auth:                         # optional; default: gateway.security.default-policy, no scopes
 *         policy: jwt                 # public | api-key | jwt | any-of
 *         scopes: {GET: [users:read], "*": [users:write]}   # or a list: the same for every method
 *       rate-limit: {capacity: 100, refill: 100, period: 1s}   # optional; see RateLimitSettings
 *       cors: {allow-origins: [https://app.example.com]}      # optional; see CorsSettings
 *   security: {...}                   # see SecuritySettings: API keys, JWT, default policy
 *   rate-limit: {...}                 # see RateLimitSettings: default limit, local buckets, Redis
 *   cors: {...}                       # see CorsSettings: the CORS rules of routes without their own
 * </pre>
 * Durations are written {@code 250ms}, {@code 15s}, {@code 2m}, {@code 1h} or in ISO-8601 ({@code PT15S}). Unknown
 * keys inside these sections are rejected (a typo must not silently turn an option off); other keys directly under
 * {@code gateway} are left to the components that own them.
 *
 * @param routes               the route table
 * @param proxy                forwarding settings
 * @param outlier              passive outlier ejection
 * @param circuitBreaker       per-instance circuit breakers
 * @param bulkhead             per-service concurrency limits
 * @param defaultPolicy        timeouts and retries of routes that do not set their own
 * @param shutdownDrainTimeout how long requests in progress may finish after SIGTERM; default 10 s
 * @param security             accepted credentials (API keys, JWT) and the default route policy
 * @param rateLimit            token buckets per route and caller; default: nothing limited
 * @param cors                 CORS rules per route; default: no route has CORS
 */
public record GatewaySettings(RouteTable routes,
                              ProxySettings proxy,
                              OutlierSettings outlier,
                              CircuitBreakerSettings circuitBreaker,
                              BulkheadSettings bulkhead,
                              RoutePolicy defaultPolicy,
                              Duration shutdownDrainTimeout,
                              SecuritySettings security,
                              RateLimitSettings rateLimit,
                              CorsSettings cors) {

    /** Default of {@link #shutdownDrainTimeout()}. */
    public static final Duration DEFAULT_SHUTDOWN_DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private static final Set<String> DEFAULTS_KEYS = Set.of("timeout", "per-try-timeout", "retry");

    public GatewaySettings {
        Objects.requireNonNull(routes, "routes");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(outlier, "outlier");
        Objects.requireNonNull(circuitBreaker, "circuitBreaker");
        Objects.requireNonNull(bulkhead, "bulkhead");
        Objects.requireNonNull(defaultPolicy, "defaultPolicy");
        Check.notNegative("shutdownDrainTimeout", shutdownDrainTimeout);
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(cors, "cors");
    }

    /**
     * Reads and validates the {@code gateway} node.
     *
     * @param gateway the {@code gateway} node, e.g. {@code config.get("gateway")}
     * @throws ConfigException when a value is invalid, a required key is missing or a section has an unknown key
     */
    public static GatewaySettings create(Config gateway) {
        ConfigNode node = ConfigNode.of(gateway);
        if (!node.exists()) {
            throw new ConfigException(node.key() + ": missing (expected: the gateway section with at least one route)");
        }
        ConfigNode defaultsNode = node.get("defaults");
        defaultsNode.allowOnly(DEFAULTS_KEYS);
        RoutePolicy defaults = PolicyReader.read(defaultsNode, RoutePolicy.defaults());
        // Read before the routes, which are checked against the credentials it configures.
        SecuritySettings security = SecuritySettings.read(node.get("security"));
        return new GatewaySettings(
                RouteReader.read(node.get("routes"), defaults, security),
                ProxySettings.read(node.get("proxy")),
                OutlierSettings.read(node.get("outlier")),
                CircuitBreakerSettings.read(node.get("circuit-breaker")),
                BulkheadSettings.read(node.get("bulkhead")),
                defaults,
                node.get("shutdown-drain-timeout").duration(DEFAULT_SHUTDOWN_DRAIN_TIMEOUT, Duration.ZERO),
                security,
                // these two after the routes (arguments are evaluated in order): they take their ids as valid
                RateLimitSettings.read(node.get("rate-limit"), node.get("routes")),
                CorsSettings.read(node.get("cors"), node.get("routes")));
    }
}
