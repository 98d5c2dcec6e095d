package dev.refgateway.gateway.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A section that {@code gateway} sets as a default and each route may set as its own ({@code rate-limit},
 * {@code cors}): a route's own replaces the default as a whole, keys it does not give included (as in Envoy and
 * Spring Cloud Gateway), so what a route gets can be read from its own entry; {@code {enabled: false}} is a route's
 * way to have none.
 */
public final class PerRoute {

    private PerRoute() {
    }

    /**
     * The effective value of each route that has one, by route id, in route order.
     *
     * @param routes   the {@code gateway.routes} node, already validated
     * @param key      the section's key in a route
     * @param fallback the default, for routes without their own
     * @param reader   reads a route's section; empty when it turns the feature off
     */
    public static <T> Map<String, T> read(ConfigNode routes, String key, Optional<T> fallback,
                                          Function<ConfigNode, Optional<T>> reader) {
        Map<String, T> byRoute = new LinkedHashMap<>();
        for (ConfigNode route : routes.elements("a list of routes")) {
            ConfigNode own = route.get(key);
            Optional<T> value = own.exists() ? reader.apply(own) : fallback;
            value.ifPresent(v -> byRoute.put(route.get("id").requiredText("a route id"), v));
        }
        return byRoute;
    }
}
