package dev.refgateway.gateway.security;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code WWW-Authenticate} challenges of one realm (RFC 6750 §3). The 401 decisions are built once: refusing a
 * request allocates nothing. Every value here is fixed text or configured, validated at start-up (realm, scopes),
 * so nothing a client sent is ever echoed into the header.
 */
final class Challenges {

    private final String realm;
    private final Map<AuthFailure, Decision.Unauthenticated> unauthenticated = new EnumMap<>(AuthFailure.class);

    Challenges(String realm) {
        this.realm = realm;
        for (AuthFailure failure : AuthFailure.values()) {
            StringBuilder challenge = new StringBuilder("Bearer realm=\"").append(realm).append('"');
            failure.errorCode().ifPresent(code -> challenge.append(", error=\"").append(code)
                    .append("\", error_description=\"").append(failure.detail()).append('"'));
            unauthenticated.put(failure, new Decision.Unauthenticated(failure, challenge.toString()));
        }
    }

    Decision.Unauthenticated unauthenticated(AuthFailure failure) {
        return unauthenticated.get(failure);
    }

    /** A 403 naming the missing scopes; the challenge's {@code scope} lists every scope required. */
    Decision.Forbidden forbidden(List<String> missing, List<String> required) {
        String challenge = "Bearer realm=\"" + realm + "\", error=\"insufficient_scope\", error_description=\""
                + describeMissing(missing) + "\", scope=\"" + String.join(" ", required) + "\"";
        return new Decision.Forbidden(missing, challenge);
    }

    static String describeMissing(List<String> missing) {
        return (missing.size() == 1 ? "Missing scope " : "Missing scopes ") + String.join(" ", missing);
    }
}
