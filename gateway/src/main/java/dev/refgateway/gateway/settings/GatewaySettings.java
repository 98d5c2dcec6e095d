package dev.refgateway.gateway.settings;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import dev.refgateway.gateway.config.ConfigException;
import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;
import dev.refgateway.gateway.cors.CorsSettings;
import dev.refgateway.gateway.failover.RoutePolicy;
import dev.refgateway.gateway.grpc.GrpcSettings;
import dev.refgateway.gateway.ratelimit.RateLimitSettings;
import dev.refgateway.gateway.relay.ProxySettings;
import dev.refgateway.gateway.routing.RouteTable;
import dev.refgateway.gateway.security.SecuritySettings;
import dev.refgateway.gateway.upstream.BulkheadSettings;
import dev.refgateway.gateway.upstream.CircuitBreakerSettings;
import dev.refgateway.gateway.upstream.DiscoverySettings;
import dev.refgateway.gateway.upstream.OutlierSettings;

import io.helidon.config.Config;

/**
 * Everything the gateway reads from the {@code gateway} section, validated once at start-up: each section is read by
 * the capability that owns it (its option table names every key, type, default and rule; the generated reference is
 * {@code docs/configuration.md}). An invalid value stops the start with a {@link ConfigException} naming the full key
 * and the value; an unknown key is refused with the closest known one suggested.
 *
 * @param routes               the route table
 * @param proxy                forwarding settings
 * @param outlier              passive outlier ejection
 * @param circuitBreaker       per-instance circuit breakers
 * @param bulkhead             per-service concurrency limits
 * @param defaultPolicy        timeouts and retries of routes that do not set their own
 * @param shutdownDrainTimeout see {@link #SHUTDOWN_DRAIN_TIMEOUT}
 * @param security             accepted credentials (API keys, JWT) and the default route policy
 * @param rateLimit            token buckets per route and caller; default: nothing limited
 * @param cors                 CORS rules per route; default: no route has CORS
 * @param staticInstances      {@code host:port} entries by service, for the services whose routes list them
 *                             rather than leave them to Consul
 * @param discovery            how discovery's reports are used
 * @param grpc                 translation to gRPC: the descriptor sets and the routes that translate
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
                              CorsSettings cors,
                              Map<String, List<String>> staticInstances,
                              DiscoverySettings discovery,
                              GrpcSettings grpc) {

    public static final Option.Time SHUTDOWN_DRAIN_TIMEOUT = Option.duration(
            "shutdown-drain-timeout", Duration.ofSeconds(10), Duration.ZERO,
            "On SIGTERM, how long requests in progress may take to finish.");
    public static final Option.Section LIMITS = Option.section(
            "limits", "map", "What the edge enforces on client connections: see gateway.limits.");
    public static final Option.Section ACCESS_LOG = Option.section(
            "access-log", "map", "The access log: see gateway.access-log.");
    public static final Option.Section DEFAULTS = Option.section(
            "defaults", "map", "Every route's time limits and retries: see gateway.defaults.");
    public static final Option.Section OUTLIER = Option.section(
            "outlier", "map", "Passive ejection: see gateway.outlier.");
    public static final Option.Section CIRCUIT_BREAKER = Option.section(
            "circuit-breaker", "map", "A breaker per instance: see gateway.circuit-breaker.");
    public static final Option.Section BULKHEAD = Option.section(
            "bulkhead", "map", "A cap per service: see gateway.bulkhead.");
    public static final Option.Section PROXY = Option.section(
            "proxy", "map", "How requests are forwarded: see gateway.proxy.");
    public static final Option.Section SECURITY = Option.section(
            "security", "map", "API keys, JWT and the default route policy: see gateway.security.");
    public static final Option.Section RATE_LIMIT = Option.section(
            "rate-limit", "map", "Token buckets: see gateway.rate-limit.");
    public static final Option.Section CORS = Option.section(
            "cors", "map", "CORS rules of routes without their own: see gateway.cors.");
    public static final Option.Section DISCOVERY = Option.section(
            "discovery", "map", "How discovery's reports are used: see gateway.discovery.");
    public static final Option.Section GRPC = Option.section(
            "grpc", "map", "Translation of HTTP/JSON to gRPC: see gateway.grpc.");
    public static final Option.Section ROUTES = Option.section(
            "routes", "list", "The routes, at least one: see gateway.routes[i].");
    public static final Options OPTIONS = Options.of(
            "gateway", "The gateway: its routes and every capability's settings.", SHUTDOWN_DRAIN_TIMEOUT, LIMITS,
            ACCESS_LOG, DEFAULTS, OUTLIER, CIRCUIT_BREAKER, BULKHEAD, PROXY, SECURITY, RATE_LIMIT, CORS, DISCOVERY,
            GRPC, ROUTES);

    public GatewaySettings {
        Objects.requireNonNull(routes, "routes");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(outlier, "outlier");
        Objects.requireNonNull(circuitBreaker, "circuitBreaker");
        Objects.requireNonNull(bulkhead, "bulkhead");
        Objects.requireNonNull(defaultPolicy, "defaultPolicy");
        SHUTDOWN_DRAIN_TIMEOUT.check(shutdownDrainTimeout);
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(cors, "cors");
        staticInstances = Map.copyOf(staticInstances);
        Objects.requireNonNull(discovery, "discovery");
        Objects.requireNonNull(grpc, "grpc");
    }

    /** The services whose instances Consul reports: those whose routes list none. */
    public Set<String> discoveredServices() {
        Set<String> discovered = new TreeSet<>(routes.services());
        discovered.removeAll(staticInstances.keySet());
        return discovered;
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
        Options.Values values = OPTIONS.read(node);
        RoutePolicy defaults = RoutePolicy.readDefaults(values.get(DEFAULTS));
        // Read before the routes, which are checked against the credentials it configures.
        SecuritySettings security = SecuritySettings.read(values.get(SECURITY));
        ConfigNode routesNode = values.get(ROUTES);
        RouteReader.Routes routes = RouteReader.read(routesNode, defaults, security);
        return new GatewaySettings(
                routes.table(),
                ProxySettings.read(values.get(PROXY)),
                OutlierSettings.read(values.get(OUTLIER)),
                CircuitBreakerSettings.read(values.get(CIRCUIT_BREAKER)),
                BulkheadSettings.read(values.get(BULKHEAD)),
                defaults,
                values.get(SHUTDOWN_DRAIN_TIMEOUT),
                security,
                // these two after the routes (arguments are evaluated in order): they take their ids as valid
                RateLimitSettings.read(values.get(RATE_LIMIT), routesNode),
                CorsSettings.read(values.get(CORS), routesNode),
                routes.staticInstances(),
                DiscoverySettings.read(values.get(DISCOVERY)),
                GrpcSettings.read(values.get(GRPC), routesNode));
    }
}
