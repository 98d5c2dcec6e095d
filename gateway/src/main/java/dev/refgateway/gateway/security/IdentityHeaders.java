package dev.refgateway.gateway.security;

import java.util.List;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;

/**
 * The headers that tell a backend who the caller is, and the removal of every client-sent copy of them.
 * <p>
 * Backends trust these headers only because the gateway removes whatever a client sent under the same names
 * before it writes its own: {@link #write} (or, for a request that is not authenticated, {@link #strip}) must run on
 * every request forwarded, after the client's headers are copied.
 * <ul>
 *     <li>{@code X-Auth-Client-Id}: the API key's client id, or the JWT's {@code client_id} (else {@code azp});</li>
 *     <li>{@code X-Auth-Subject}: the JWT's {@code sub};</li>
 *     <li>{@code X-Auth-Scopes}: the granted scopes, space-separated (as in an OAuth {@code scope}).</li>
 * </ul>
 * A header is absent when the identity has no such value (an anonymous caller has none of them). One prefix for all
 * three, so that a backend (or a proxy in front of it) can drop {@code X-Auth-*} wholesale.
 * <p>
 * API keys are the gateway's credentials and never reach a backend: {@code X-API-Key} is always removed, and
 * {@code Authorization} is removed when it carried the API key. A JWT stays in {@code Authorization} so that a
 * backend can verify it again.
 */
public final class IdentityHeaders {

    /** The caller's client id. */
    public static final HeaderName CLIENT_ID = HeaderNames.create("X-Auth-Client-Id");
    /** The JWT's subject. */
    public static final HeaderName SUBJECT = HeaderNames.create("X-Auth-Subject");
    /** The granted scopes, space-separated. */
    public static final HeaderName SCOPES = HeaderNames.create("X-Auth-Scopes");
    /** Every identity header: stripped from every client request before forwarding. */
    public static final List<HeaderName> NAMES = List.of(CLIENT_ID, SUBJECT, SCOPES);
    /** Where clients put an API key (besides {@code Authorization: Bearer}). */
    public static final HeaderName X_API_KEY = HeaderNames.create("X-API-Key");

    private IdentityHeaders() {
    }

    /** Removes every identity header, and {@code X-API-Key}, from headers on their way to a backend. */
    public static void strip(WritableHeaders<?> upstreamHeaders) {
        for (HeaderName name : NAMES) {
            upstreamHeaders.remove(name);
        }
        upstreamHeaders.remove(X_API_KEY);
    }

    /**
     * Replaces whatever the client sent under the identity headers with {@code identity}, and removes the API key
     * from headers on their way to a backend.
     */
    public static void write(Identity identity, WritableHeaders<?> upstreamHeaders) {
        strip(upstreamHeaders);
        if (identity.kind() == Identity.Kind.API_KEY && isBearer(upstreamHeaders)) {
            upstreamHeaders.remove(HeaderNames.AUTHORIZATION);
        }
        identity.clientId().ifPresent(clientId -> upstreamHeaders.set(CLIENT_ID, clientId));
        identity.subject().ifPresent(subject -> upstreamHeaders.set(SUBJECT, subject));
        if (!identity.scopes().isEmpty()) {
            upstreamHeaders.set(SCOPES, String.join(" ", identity.scopes()));
        }
    }

    private static boolean isBearer(WritableHeaders<?> headers) {
        if (!headers.contains(HeaderNames.AUTHORIZATION)) {
            return false;
        }
        for (String value : headers.get(HeaderNames.AUTHORIZATION).allValues()) {
            if (Credentials.isBearer(value)) {
                return true;
            }
        }
        return false;
    }
}
