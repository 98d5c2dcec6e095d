package dev.refgateway.gateway.security;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.refgateway.gateway.routing.AuthPolicy;
import dev.refgateway.gateway.routing.Route;
import dev.refgateway.gateway.routing.RouteAuth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.WritableHeaders;

/** Routes, keys and request headers for the guard tests. */
final class Requests {

    static final String READER_KEY = "k3y-of-the-reader_0123456789abcdefXYZ";
    static final String WRITER_KEY = "wr1ter+key/with_padding==";

    private Requests() {
    }

    static ApiKey apiKey(String clientId, String key, String... scopes) {
        return new ApiKey(clientId, sha256Hex(key), Set.of(scopes));
    }

    static String sha256Hex(String key) {
        return HexFormat.of().formatHex(ApiKeyAuthenticator.sha256(key));
    }

    static Route route(AuthPolicy policy) {
        return Route.of("users", "/users/**", "user-service").withAuth(RouteAuth.of(policy));
    }

    static Route route(AuthPolicy policy, Map<Method, List<String>> scopesByMethod, List<String> otherScopes) {
        return Route.of("users", "/users/**", "user-service")
                .withAuth(new RouteAuth(policy, scopesByMethod, otherScopes));
    }

    /** Headers from name, value pairs; a name may repeat. */
    static WritableHeaders<?> headers(String... nameValues) {
        WritableHeaders<?> headers = WritableHeaders.create();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(HeaderNames.create(nameValues[i]), nameValues[i + 1]);
        }
        return headers;
    }

    static WritableHeaders<?> bearer(String token) {
        return headers("Authorization", "Bearer " + token);
    }
}
