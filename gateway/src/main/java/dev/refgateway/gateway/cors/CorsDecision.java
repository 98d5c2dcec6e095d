package dev.refgateway.gateway.cors;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;

/**
 * What CORS makes of one request. Every decision writes its headers with {@link #writeTo}, which the proxy calls
 * before it answers anything and again after copying an instance's headers: on a route with CORS the gateway's
 * {@code Access-Control-*} headers replace the instance's, and {@code Vary} gains {@code Origin}.
 */
public sealed interface CorsDecision {

    /** The route has no CORS: nothing is touched, whatever the instance sends passes through. */
    CorsDecision NONE = new None();
    /** The route has CORS but the request is not cross-origin (no {@code Origin}, or the gateway's own host). */
    CorsDecision NOT_CROSS_ORIGIN = new NotCrossOrigin();

    /** Sets this decision's response headers, replacing any {@code Access-Control-*} header already there. */
    void writeTo(WritableHeaders<?> headers);

    /** See {@link #NONE}. */
    record None() implements CorsDecision {
        @Override
        public void writeTo(WritableHeaders<?> headers) {
        }
    }

    /** See {@link #NOT_CROSS_ORIGIN}. */
    record NotCrossOrigin() implements CorsDecision {
        @Override
        public void writeTo(WritableHeaders<?> headers) {
            CorsHeaders.removeAccessControl(headers);
            CorsHeaders.addVaryOrigin(headers);
        }
    }

    /**
     * An allowed preflight: the gateway answers 204 with these headers and forwards nothing.
     *
     * @param allowOrigin  the {@code Access-Control-Allow-Origin} value: the origin, or {@code *}
     * @param credentials  whether {@code Access-Control-Allow-Credentials: true} is sent
     * @param allowMethods the {@code Access-Control-Allow-Methods} value
     * @param allowHeaders the {@code Access-Control-Allow-Headers} value; null when none were asked for
     * @param maxAge       the {@code Access-Control-Max-Age} header
     */
    record Preflight(String allowOrigin, boolean credentials, String allowMethods, String allowHeaders, Header maxAge)
            implements CorsDecision {
        // A preflight answer depends on all three request headers; a shared cache must keep them apart.
        private static final Header VARY = HeaderValues.createCached(
                HeaderNames.VARY, "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");

        @Override
        public void writeTo(WritableHeaders<?> headers) {
            CorsHeaders.removeAccessControl(headers);
            headers.set(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowOrigin);
            if (credentials) {
                headers.set(CorsHeaders.ALLOW_CREDENTIALS_TRUE);
            }
            headers.set(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, allowMethods);
            if (allowHeaders != null) {
                headers.set(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, allowHeaders);
            }
            headers.set(maxAge);
            headers.set(VARY);
        }
    }

    /**
     * An allowed cross-origin request: forwarded, and the page may read the answer.
     *
     * @param allowOrigin   the {@code Access-Control-Allow-Origin} value: the origin, or {@code *}
     * @param credentials   whether {@code Access-Control-Allow-Credentials: true} is sent
     * @param exposeHeaders the {@code Access-Control-Expose-Headers} header; null when none are exposed
     */
    record Allowed(String allowOrigin, boolean credentials, Header exposeHeaders) implements CorsDecision {
        @Override
        public void writeTo(WritableHeaders<?> headers) {
            CorsHeaders.removeAccessControl(headers);
            headers.set(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowOrigin);
            if (credentials) {
                headers.set(CorsHeaders.ALLOW_CREDENTIALS_TRUE);
            }
            if (exposeHeaders != null) {
                headers.set(exposeHeaders);
            }
            CorsHeaders.addVaryOrigin(headers);
        }
    }

    /**
     * A preflight or a cross-origin request the route does not allow: 403, never forwarded, no
     * {@code Access-Control-Allow-*} header.
     *
     * @param refused what was refused: {@code origin}, {@code method} or {@code header} (metrics, access log)
     * @param detail  the problem's detail, naming the refused value and the route
     */
    record Refused(String refused, String detail) implements CorsDecision {
        @Override
        public void writeTo(WritableHeaders<?> headers) {
            CorsHeaders.removeAccessControl(headers);
            CorsHeaders.addVaryOrigin(headers);
        }
    }
}
