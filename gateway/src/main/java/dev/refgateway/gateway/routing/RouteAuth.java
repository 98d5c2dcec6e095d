package dev.refgateway.gateway.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.helidon.http.Method;

/**
 * Who may use a route: the credentials it accepts and the scopes a caller must hold, per method.
 * <p>
 * A method listed in {@code scopesByMethod} needs exactly those scopes; every other method needs
 * {@code otherMethodScopes} (the {@code "*"} entry of the configuration). {@code HEAD} that is not listed itself
 * follows {@code GET}, so that a read scope cannot be dodged by asking for the headers only. All listed scopes are
 * required (AND).
 *
 * @param policy            accepted credentials
 * @param scopesByMethod    scopes required for specific methods
 * @param otherMethodScopes scopes required for methods not in {@code scopesByMethod}; empty: none
 */
public record RouteAuth(AuthPolicy policy, Map<Method, List<String>> scopesByMethod, List<String> otherMethodScopes) {

    private static final RouteAuth PUBLIC = new RouteAuth(AuthPolicy.PUBLIC, Map.of(), List.of());

    public RouteAuth {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(scopesByMethod, "scopesByMethod");
        Objects.requireNonNull(otherMethodScopes, "otherMethodScopes");
        Map<Method, List<String>> copy = new LinkedHashMap<>();
        scopesByMethod.forEach((method, scopes) -> copy.put(method, List.copyOf(scopes)));
        scopesByMethod = Map.copyOf(copy);
        otherMethodScopes = List.copyOf(otherMethodScopes);
        if (policy == AuthPolicy.PUBLIC && hasScopes(scopesByMethod, otherMethodScopes)) {
            throw new IllegalArgumentException("scopes: " + scopesByMethod + " " + otherMethodScopes
                    + " (expected: none on a public route)");
        }
    }

    /** Whether anyone may use the route, credentials or not. */
    public boolean isPublic() {
        return policy == AuthPolicy.PUBLIC;
    }

    /** Anyone may use the route. */
    public static RouteAuth publicAccess() {
        return PUBLIC;
    }

    /** Credentials of {@code policy}, no scopes required. */
    public static RouteAuth of(AuthPolicy policy) {
        return policy == AuthPolicy.PUBLIC ? PUBLIC : new RouteAuth(policy, Map.of(), List.of());
    }

    /** The scopes a caller needs for {@code method}; empty when being authenticated is enough. */
    public List<String> requiredScopes(Method method) {
        List<String> scopes = scopesByMethod.get(method);
        if (scopes != null) {
            return scopes;
        }
        if (Method.HEAD.equals(method)) {
            List<String> get = scopesByMethod.get(Method.GET);
            if (get != null) {
                return get;
            }
        }
        return otherMethodScopes;
    }

    private static boolean hasScopes(Map<Method, List<String>> byMethod, List<String> other) {
        if (!other.isEmpty()) {
            return true;
        }
        for (List<String> scopes : byMethod.values()) {
            if (!scopes.isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
