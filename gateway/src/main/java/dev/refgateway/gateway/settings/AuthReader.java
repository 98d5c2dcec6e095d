package dev.refgateway.gateway.settings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.refgateway.gateway.config.ConfigException;
import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.http1.StandardMethods;
import dev.refgateway.gateway.routing.AuthPolicy;
import dev.refgateway.gateway.routing.RouteAuth;
import dev.refgateway.gateway.security.SecuritySettings;

import io.helidon.http.Method;

/**
 * Reads a route's {@code auth} node into a {@link RouteAuth}; a route without one gets
 * {@code gateway.security.default-policy} and no scopes.
 *
 * <pre>
 * auth:
 *   policy: jwt                 # public | api-key | jwt | any-of; default gateway.security.default-policy
 *   scopes:                     # all required; per method, "*" for every method not listed
 *     GET: [users:read]
 *     "*": [users:write]
 *   # or, the same scopes for every method:
 *   scopes: [users:read]
 * </pre>
 */
final class AuthReader {

    private static final Set<String> AUTH_KEYS = Set.of("policy", "scopes");
    private static final String EVERY_OTHER_METHOD = "*";

    private AuthReader() {
    }

    static RouteAuth read(ConfigNode auth, Set<Method> routeMethods, SecuritySettings security) {
        auth.allowOnly(AUTH_KEYS);
        ConfigNode policyNode = auth.get("policy");
        AuthPolicy policy = policyNode.exists() ? SecuritySettings.policy(policyNode) : security.defaultPolicy();
        if (policyNode.exists()) {
            security.missingCredentials(policy).ifPresent(missing -> {
                throw policyNode.invalid(ConfigNode.quote(policy.configName()), missing);
            });
        }
        ConfigNode scopesNode = auth.get("scopes");
        if (!scopesNode.exists()) {
            return RouteAuth.of(policy);
        }
        if (policy == AuthPolicy.PUBLIC) {
            throw scopesNode.invalid(scopesNode.isMap() ? "(a map)" : "(a list)",
                                     "no scopes on a public route; set " + auth.key() + ".policy"
                                             + (policyNode.exists() ? "" : " or gateway.security.default-policy"));
        }
        if (!scopesNode.isMap()) {
            return new RouteAuth(policy, Map.of(), new ArrayList<>(SecuritySettings.scopes(scopesNode)));
        }
        Map<Method, List<String>> byMethod = new LinkedHashMap<>();
        List<String> other = List.of();
        for (ConfigNode entry : scopesNode.children()) {
            List<String> scopes = new ArrayList<>(SecuritySettings.scopes(entry));
            if (entry.name().equals(EVERY_OTHER_METHOD)) {
                other = scopes;
                continue;
            }
            Method method = method(entry, routeMethods);
            if (byMethod.put(method, scopes) != null) {
                throw new ConfigException(entry.key() + ": " + method.text() + " listed twice (expected: each method "
                        + "once)");
            }
        }
        return new RouteAuth(policy, byMethod, other);
    }

    private static Method method(ConfigNode entry, Set<Method> routeMethods) {
        String name = entry.name().toUpperCase(Locale.ROOT);
        if (!StandardMethods.ALL.contains(name)) {
            throw new ConfigException(entry.key() + ": unknown key (expected: a method such as GET, or \"*\" for "
                    + "every other method)");
        }
        Method method = Method.create(name);
        if (!routeMethods.isEmpty() && !routeMethods.contains(method)) {
            throw new ConfigException(entry.key() + ": a method the route does not take (expected: one of "
                    + String.join(", ", routeMethods.stream().map(Method::text).toList()) + ", or \"*\")");
        }
        return method;
    }
}
