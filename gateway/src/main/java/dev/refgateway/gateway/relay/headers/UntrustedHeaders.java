package dev.refgateway.gateway.relay.headers;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.helidon.http.HeaderName;

/**
 * Request headers a client may not pass on to an instance, because instances (or frameworks in front of them) trust
 * them to say who the client is or what it asked for:
 * <ul>
 *     <li>a configurable deny list, by default {@code X-Real-IP}, {@code True-Client-IP} (client address claims
 *     other proxies make), {@code X-Original-URL}, {@code X-Rewrite-URL} (path overrides some frameworks honour:
 *     the gateway would authorise one path and the instance serve another), {@code X-HTTP-Method-Override},
 *     {@code X-HTTP-Method}, {@code X-Method-Override} (a GET the gateway checked the scope of, run as a DELETE);</li>
 *     <li>any name that becomes one of those, or one of the gateway's own identity and forwarding headers
 *     ({@code X-Auth-*}, {@code X-API-Key}, {@code X-Forwarded-*}, {@code Forwarded}, {@code X-Request-Id}), once
 *     underscores are read as dashes: {@code X_Auth_Subject}, {@code X_Forwarded_For}. Many servers (CGI, WSGI,
 *     some Node and Java stacks) fold {@code _} and {@code -} into one, so the instance would read the client's
 *     alias as the gateway's header (nginx drops them: {@code underscores_in_headers off}).</li>
 * </ul>
 * The gateway's own headers under their real names are replaced, not kept, by the code that writes them.
 */
public final class UntrustedHeaders {

    /** The default deny list. */
    public static final List<String> DEFAULT_DENY_LIST = List.of("X-Real-IP", "True-Client-IP", "X-Original-URL",
            "X-Rewrite-URL", "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

    /** Headers the gateway writes itself, in lower case. */
    private static final Set<String> GATEWAY_OWNED = Set.of("x-auth-client-id", "x-auth-subject", "x-auth-scopes",
            "x-api-key", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port",
            "x-forwarded-prefix", "forwarded", "x-request-id", "via");

    private final Set<String> denied;
    private final Set<String> deniedOrOwned;

    private UntrustedHeaders(Set<String> denied) {
        this.denied = denied;
        this.deniedOrOwned = java.util.stream.Stream.concat(denied.stream(), GATEWAY_OWNED.stream())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** @param denyList header names never forwarded (case-insensitive) */
    public static UntrustedHeaders create(List<String> denyList) {
        return new UntrustedHeaders(denyList.stream().map(name -> name.toLowerCase(Locale.ROOT))
                                            .collect(Collectors.toUnmodifiableSet()));
    }

    /** Whether a client's header of this name must not reach an instance. */
    public boolean isUntrusted(HeaderName name) {
        String lowerCase = name.lowerCase();
        if (denied.contains(lowerCase)) {
            return true;
        }
        return lowerCase.indexOf('_') >= 0 && deniedOrOwned.contains(lowerCase.replace('_', '-'));
    }
}
