package dev.refgateway.gateway.cors;

import java.util.HashMap;
import java.util.Map;

import dev.refgateway.gateway.routing.Route;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Method;

/** The CORS policy of every route that has one, built once at start-up; looked up by route id per request. */
public final class CorsPolicies {

    private static final CorsPolicies NONE = new CorsPolicies(Map.of());

    private final Map<String, CorsPolicy> byRoute;

    private CorsPolicies(Map<String, CorsPolicy> byRoute) {
        this.byRoute = byRoute;
    }

    public static CorsPolicies create(CorsSettings settings) {
        if (settings.routes().isEmpty()) {
            return NONE;
        }
        Map<String, CorsPolicy> byRoute = new HashMap<>();
        settings.routes().forEach((routeId, rules) -> byRoute.put(routeId, CorsPolicy.create(routeId, rules)));
        return new CorsPolicies(Map.copyOf(byRoute));
    }

    /** No route has CORS. */
    public static CorsPolicies none() {
        return NONE;
    }

    /** Whether {@code route} has CORS. */
    public boolean covers(Route route) {
        return byRoute.containsKey(route.id());
    }

    /** What CORS makes of a request that matched {@code route}; {@link CorsDecision#NONE} when it has no CORS. */
    public CorsDecision decide(Route route, Method method, Headers headers, String authority) {
        CorsPolicy policy = byRoute.get(route.id());
        return policy == null ? CorsDecision.NONE : policy.decide(method, headers, authority);
    }

    /**
     * The method a preflight asks about, so that the preflight is matched to the route its actual request will
     * take (a route limited to {@code methods: [PUT]} never matches an {@code OPTIONS}); null when the request is
     * not a preflight or names no valid method.
     */
    public static Method preflightTarget(Method method, Headers headers) {
        if (!CorsPolicy.isPreflight(method, headers)) {
            return null;
        }
        String asked = headers.get(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD).get().strip();
        return CorsHeaders.isToken(asked) ? Method.create(asked) : null;
    }
}
