package dev.refgateway.gateway.cors;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.PerRoute;

import io.helidon.config.Config;

/**
 * CORS per route. Off unless configured: a route without {@code cors} of its own, while {@code gateway.cors} is not
 * set, gets no CORS handling at all (no headers added, preflights forwarded like any OPTIONS request).
 *
 * <pre>
 * gateway:
 *   cors: {allow-origins: [https://app.example.com]}   # optional: routes without their own cors; see CorsRules
 *   routes:
 *     - id: users
 *       cors: {allow-origins: [https://admin.example.com], allow-credentials: true}   # replaces the default whole
 *     - id: webhooks
 *       cors: {enabled: false}                                                        # no CORS, whatever the default
 * </pre>
 * A route's {@code cors} replaces the default as a whole ({@link PerRoute}).
 *
 * @param defaultRules the rules of routes without their own; empty: such routes have no CORS
 * @param routes       the effective rules of each route with CORS, by route id (the default applied)
 */
public record CorsSettings(Optional<CorsRules> defaultRules, Map<String, CorsRules> routes) {

    private static final CorsSettings NONE = new CorsSettings(Optional.empty(), Map.of());

    public CorsSettings {
        Objects.requireNonNull(defaultRules, "defaultRules");
        routes = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(routes, "routes")));
    }

    /** No route has CORS. */
    public static CorsSettings none() {
        return NONE;
    }

    /**
     * Reads {@code gateway.cors} and the {@code cors} of every route.
     *
     * @param gateway the {@code gateway} node; its routes must be valid already
     */
    public static CorsSettings create(Config gateway) {
        ConfigNode node = ConfigNode.of(gateway);
        return read(node.get("cors"), node.get("routes"));
    }

    /** The rules of route {@code routeId}, if it has CORS. */
    public Optional<CorsRules> rulesOf(String routeId) {
        return Optional.ofNullable(routes.get(routeId));
    }

    /** Reads {@code gateway.cors} and the {@code cors} of every route in {@code routesNode}. */
    public static CorsSettings read(ConfigNode node, ConfigNode routesNode) {
        Optional<CorsRules> defaultRules = CorsRules.read(node);
        return new CorsSettings(defaultRules, PerRoute.read(routesNode, "cors", defaultRules, CorsRules::read));
    }
}
