package dev.refgateway.gateway.http1;

import java.util.List;

/**
 * The request methods HTTP defines (RFC 9110 §9, and PATCH from RFC 5789): the ones a route or a CORS rule may
 * name, and the only ones a metric label takes as they are. Any other token is a valid method that a backend may
 * understand, but it is forwarded without the gateway knowing what it means.
 */
public final class StandardMethods {

    /** The standard methods, in the order the RFCs list them. */
    public static final List<String> ALL =
            List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");

    private StandardMethods() {
    }

    /** Whether {@code method} (case-sensitive, as methods are) is one of {@link #ALL}. */
    public static boolean isStandard(String method) {
        return switch (method) {
            case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT" -> true;
            default -> false;
        };
    }
}
