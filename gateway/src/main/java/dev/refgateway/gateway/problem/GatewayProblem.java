package dev.refgateway.gateway.problem;

import io.helidon.http.Status;

/**
 * Every failure the gateway itself answers, with its status and stable {@code type}. Clients and tests switch on the
 * type; the table in the README lists the same entries.
 */
public enum GatewayProblem {
    /** Credentials are missing or invalid for a protected route (RFC 6750 {@code invalid_token}). */
    UNAUTHENTICATED(Status.UNAUTHORIZED_401, "unauthenticated", "Authentication required"),
    /** The credentials are malformed, or two kinds were sent at once (RFC 6750 {@code invalid_request}). */
    INVALID_CREDENTIALS(Status.BAD_REQUEST_400, "invalid-credentials", "Malformed credentials"),
    /** Authenticated, but without a scope the route requires. */
    INSUFFICIENT_SCOPE(Status.FORBIDDEN_403, "insufficient-scope", "Insufficient scope"),
    /** The keys that verify tokens cannot be fetched right now; the token may well be good. */
    AUTH_UNAVAILABLE(Status.SERVICE_UNAVAILABLE_503, "auth-unavailable", "Authentication unavailable"),
    /** The caller used up its rate limit on the route; {@code Retry-After} says when the next request may pass. */
    RATE_LIMITED(Status.TOO_MANY_REQUESTS_429, "rate-limited", "Too many requests"),
    /** Rate limits are shared through Redis, Redis does not answer, and the gateway is set to fail closed. */
    RATE_LIMITER_UNAVAILABLE(Status.SERVICE_UNAVAILABLE_503, "rate-limiter-unavailable", "Rate limiter unavailable"),
    /** A CORS preflight or cross-origin request whose origin, method or header the route does not allow. */
    CORS_REFUSED(Status.FORBIDDEN_403, "cors-refused", "Cross-origin request refused"),
    /** No route matches the request. */
    ROUTE_NOT_FOUND(Status.NOT_FOUND_404, "route-not-found", "No route matches the request"),
    /** The request's header section is larger than {@code gateway.limits.max-header-bytes}. */
    HEADERS_TOO_LARGE(Status.create(431, "Request Header Fields Too Large"), "headers-too-large",
                      "Request header fields too large"),
    /**
     * The request line and header section did not arrive within {@code gateway.limits.header-read-timeout} of their
     * first byte (a stalled or trickling client); written straight to the connection, which is then closed.
     */
    REQUEST_HEADER_TIMEOUT(Status.REQUEST_TIMEOUT_408, "request-header-timeout", "Request header timeout"),
    /** Message framing is ambiguous or invalid; forwarding it could smuggle a second request. */
    BAD_FRAMING(Status.BAD_REQUEST_400, "bad-framing", "Ambiguous or invalid message framing"),
    /** The route's service has no healthy instance right now. */
    NO_HEALTHY_UPSTREAM(Status.SERVICE_UNAVAILABLE_503, "no-healthy-upstream", "No healthy instance"),
    /** Every healthy instance has its circuit open. */
    CIRCUIT_OPEN(Status.SERVICE_UNAVAILABLE_503, "circuit-open", "Circuit open for every instance"),
    /** The service's bulkhead is full. */
    UPSTREAM_OVERLOADED(Status.SERVICE_UNAVAILABLE_503, "upstream-overloaded", "Too many concurrent requests"),
    /** No instance accepted a connection. */
    UPSTREAM_UNREACHABLE(Status.BAD_GATEWAY_502, "upstream-unreachable", "Upstream unreachable"),
    /** The instance broke the connection or answered with something that is not HTTP. */
    BAD_UPSTREAM_RESPONSE(Status.BAD_GATEWAY_502, "bad-upstream-response", "Invalid upstream response"),
    /** The instance did not answer within the per-try or the route's overall timeout. */
    UPSTREAM_TIMEOUT(Status.GATEWAY_TIMEOUT_504, "upstream-timeout", "Upstream timed out");

    private static final String BASE = "https://refgateway.dev/problems/";

    private final Status status;
    private final String type;
    private final String title;

    GatewayProblem(Status status, String slug, String title) {
        this.status = status;
        this.type = BASE + slug;
        this.title = title;
    }

    public Status status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }
}
