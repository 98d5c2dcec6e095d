package dev.refgateway.gateway.cors;

import java.util.List;
import java.util.Set;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.Method;

/**
 * The CORS rules of one route, turned into look-ups once at start-up: exact origins in a hash set, header values
 * joined in advance, no regular expression.
 * <ul>
 *     <li>No {@code Origin}: not a CORS request; the answer only gains {@code Vary: Origin}.</li>
 *     <li>Preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}): origin, method
 *     and every requested header must be allowed → {@link CorsDecision.Preflight}, else
 *     {@link CorsDecision.Refused} naming the first thing refused.</li>
 *     <li>Any other request with {@code Origin}: as Helidon CORS does, an origin that is not allowed, or a method
 *     that is not, is refused (403) rather than forwarded — the browser would hide the answer anyway, and the
 *     instance is spared a request it cannot answer usefully. An {@code Origin} naming the request's own host is
 *     same-origin (browsers send {@code Origin} on same-origin POSTs too) and passes without CORS headers.</li>
 * </ul>
 */
public final class CorsPolicy {

    private final String routeId;
    private final boolean anyOrigin;
    private final Set<String> origins;
    private final boolean anyMethod;
    private final Set<String> methods;
    private final String allowMethods;
    private final boolean anyHeader;
    private final Set<String> headers;
    private final boolean credentials;
    private final Header exposeHeaders;
    private final Header maxAge;

    private CorsPolicy(String routeId, CorsRules rules) {
        this.routeId = routeId;
        this.anyOrigin = rules.allowOrigins().contains(CorsRules.ANY);
        this.origins = rules.allowOrigins();
        this.anyMethod = rules.allowMethods().contains(CorsRules.ANY);
        this.methods = rules.allowMethods();
        // in a stable order, so the header reads the same on every replica
        this.allowMethods = String.join(", ", rules.allowMethods().stream().sorted().toList());
        this.anyHeader = rules.allowHeaders().contains(CorsRules.ANY);
        this.headers = rules.allowHeaders();
        this.credentials = rules.allowCredentials();
        this.exposeHeaders = rules.exposeHeaders().isEmpty() ? null
                : HeaderValues.createCached(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS,
                                            String.join(", ", rules.exposeHeaders()));
        this.maxAge = HeaderValues.createCached(HeaderNames.ACCESS_CONTROL_MAX_AGE, rules.maxAge().toSeconds());
    }

    /** The policy of route {@code routeId} (named in refusals). */
    public static CorsPolicy create(String routeId, CorsRules rules) {
        return new CorsPolicy(routeId, rules);
    }

    /** Whether the request is a CORS preflight: {@code OPTIONS} with {@code Origin} and the method it asks about. */
    public static boolean isPreflight(Method method, Headers headers) {
        return method == Method.OPTIONS
                && headers.contains(HeaderNames.ORIGIN)
                && headers.contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }

    /**
     * Decides on one request to this policy's route.
     *
     * @param method    the request's method
     * @param headers   the request's headers
     * @param authority the request's {@code Host}; may be null
     */
    public CorsDecision decide(Method method, Headers headers, String authority) {
        if (!headers.contains(HeaderNames.ORIGIN)) {
            return CorsDecision.NOT_CROSS_ORIGIN;
        }
        String origin = headers.get(HeaderNames.ORIGIN).get();
        if (isPreflight(method, headers)) {
            return preflight(origin, headers);
        }
        boolean originAllowed = anyOrigin || origins.contains(origin);
        if (!originAllowed && isSameOrigin(origin, authority)) {
            return CorsDecision.NOT_CROSS_ORIGIN;
        }
        if (!originAllowed) {
            return refusedOrigin(origin);
        }
        if (!anyMethod && !methods.contains(method.text())) {
            return refused("method", "method " + method.text() + " is not allowed");
        }
        return new CorsDecision.Allowed(allowOrigin(origin), credentials, exposeHeaders);
    }

    private CorsDecision preflight(String origin, Headers headers) {
        if (!anyOrigin && !origins.contains(origin)) {
            return refusedOrigin(origin);
        }
        String method = headers.get(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD).get().strip();
        if (!CorsHeaders.isToken(method) || (!anyMethod && !methods.contains(method))) {
            return refused("method", "method " + quoteIfOdd(method) + " is not allowed");
        }
        String allowHeaders = null;
        if (headers.contains(HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS)) {
            List<String> requested = CorsHeaders.lowerCaseElements(
                    headers.get(HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS).allValues());
            for (String name : requested) {
                if (!CorsHeaders.isToken(name) || (!anyHeader && !this.headers.contains(name))) {
                    return refused("header", "request header " + quoteIfOdd(name) + " is not allowed");
                }
            }
            // Exactly what was asked (all allowed): "*" would not cover Authorization, nor anything with credentials.
            allowHeaders = requested.isEmpty() ? null : String.join(", ", requested);
        }
        // With "*" methods the asked one is echoed: a literal "*" means nothing to a browser once credentials are on.
        return new CorsDecision.Preflight(allowOrigin(origin), credentials, anyMethod ? method : allowMethods,
                                          allowHeaders, maxAge);
    }

    // "*" only for a wildcard policy without credentials; otherwise the origin itself (then Vary: Origin matters).
    private String allowOrigin(String origin) {
        return anyOrigin && !credentials ? CorsRules.ANY : origin;
    }

    private CorsDecision refusedOrigin(String origin) {
        return refused("origin", "origin \"" + origin + "\" is not allowed");
    }

    private CorsDecision refused(String what, String why) {
        return new CorsDecision.Refused(what, "Cross-origin request refused: " + why + " on route " + routeId);
    }

    private static String quoteIfOdd(String text) {
        return CorsHeaders.isToken(text) ? text : "\"" + text + "\"";
    }

    /**
     * Whether {@code origin} names the host the request was sent to. The scheme is not compared: behind a
     * TLS-terminating proxy an https page talks to a plain-http gateway under the same name.
     */
    static boolean isSameOrigin(String origin, String authority) {
        if (authority == null || authority.isEmpty()) {
            return false;
        }
        int schemeEnd = origin.indexOf("://");
        if (schemeEnd <= 0) {
            return false;
        }
        int hostStart = schemeEnd + 3;
        int hostLength = origin.length() - hostStart;
        if (hostLength == authority.length()) {
            return origin.regionMatches(true, hostStart, authority, 0, hostLength);
        }
        // Host may carry the scheme's default port, which a serialized origin never does.
        String defaultPort = origin.startsWith("https") ? ":443" : ":80";
        return hostLength + defaultPort.length() == authority.length()
                && authority.endsWith(defaultPort)
                && origin.regionMatches(true, hostStart, authority, 0, hostLength);
    }
}
