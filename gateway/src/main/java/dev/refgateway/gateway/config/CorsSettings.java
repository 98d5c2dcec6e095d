package dev.refgateway.gateway.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 * A route's {@code cors} replaces the default as a whole, keys it does not give included (as in Envoy and Spring
 * Cloud Gateway): what a route allows can be read from its own entry.
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

    static CorsSettings read(ConfigNode node, ConfigNode routesNode) {
        Optional<CorsRules> defaultRules = rules(node);
        Map<String, CorsRules> routes = new LinkedHashMap<>();
        for (ConfigNode route : routesNode.elements("a list of routes")) {
            String id = route.get("id").requiredText("a route id");
            ConfigNode own = route.get("cors");
            Optional<CorsRules> rules = own.exists() ? rules(own) : defaultRules;
            rules.ifPresent(r -> routes.put(id, r));
        }
        return new CorsSettings(defaultRules, routes);
    }

    // {enabled: false} turns CORS off; any other map is a policy, whose allow-origins is then required.
    private static Optional<CorsRules> rules(ConfigNode node) {
        if (!node.exists()) {
            return Optional.empty();
        }
        node.allowOnly(CorsRules.KEYS);
        if (!node.get("enabled").bool(true)) {
            return Optional.empty();
        }
        ConfigNode originsNode = node.get("allow-origins");
        Set<String> origins = origins(originsNode);
        boolean credentials = node.get("allow-credentials").bool(false);
        if (credentials && origins.contains(CorsRules.ANY)) {
            throw originsNode.invalid("\"*\"", "exact origins when " + node.key() + ".allow-credentials is true; "
                    + "browsers refuse a wildcard origin with credentials");
        }
        ConfigNode exposeNode = node.get("expose-headers");
        List<String> expose = List.copyOf(headerNames(exposeNode, Set.of(), false));
        if (credentials && expose.contains(CorsRules.ANY)) {
            throw exposeNode.invalid("\"*\"", "header names when " + node.key() + ".allow-credentials is true; "
                    + "browsers read \"*\" literally then");
        }
        return Optional.of(new CorsRules(origins,
                                         methods(node.get("allow-methods")),
                                         headerNames(node.get("allow-headers"), Set.of(CorsRules.ANY), true),
                                         expose,
                                         credentials,
                                         node.get("max-age").duration(CorsRules.DEFAULT_MAX_AGE, Duration.ZERO)));
    }

    private static Set<String> origins(ConfigNode node) {
        List<ConfigNode.Value> values = node.strings();
        if (values.isEmpty()) {
            throw new ConfigException(node.key() + ": missing (expected: a list of origins such as "
                    + "[https://app.example.com], or [\"*\"])");
        }
        Set<String> origins = new LinkedHashSet<>();
        for (ConfigNode.Value value : values) {
            if (value.text().equals(CorsRules.ANY)) {
                origins.add(CorsRules.ANY);
                continue;
            }
            String origin = CorsRules.normalizeOrigin(value.text());
            if (origin == null) {
                String hint = value.text().equals("null")
                        ? "; \"null\" is what sandboxed frames and file:// pages send, anyone can send it"
                        : value.text().endsWith("/") ? "; no trailing slash" : "";
                throw value.invalid(CorsRules.ORIGIN_EXPECTATION + hint);
            }
            origins.add(origin);
        }
        return alone(node, origins);
    }

    private static Set<String> methods(ConfigNode node) {
        if (!node.exists()) {
            return CorsRules.DEFAULT_ALLOW_METHODS;
        }
        Set<String> methods = new LinkedHashSet<>();
        for (ConfigNode.Value value : node.strings()) {
            String name = value.text().toUpperCase(Locale.ROOT);
            if (!name.equals(CorsRules.ANY) && !RouteReader.KNOWN_METHODS.contains(name)) {
                throw value.invalid("one of " + String.join(", ", RouteReader.KNOWN_METHODS) + ", or \"*\"");
            }
            methods.add(name);
        }
        return alone(node, methods);
    }

    private static Set<String> headerNames(ConfigNode node, Set<String> fallback, boolean lowerCase) {
        if (!node.exists()) {
            return fallback;
        }
        Set<String> names = new LinkedHashSet<>();
        for (ConfigNode.Value value : node.strings()) {
            if (!value.text().equals(CorsRules.ANY) && !Check.isToken(value.text())) {
                throw value.invalid("a header name, or \"*\"");
            }
            names.add(lowerCase ? value.text().toLowerCase(Locale.ROOT) : value.text());
        }
        return alone(node, names);
    }

    private static Set<String> alone(ConfigNode node, Set<String> values) {
        if (values.size() > 1 && values.contains(CorsRules.ANY)) {
            throw node.invalid(values.toString(), "\"*\" alone, or a list without \"*\"");
        }
        return values;
    }
}
