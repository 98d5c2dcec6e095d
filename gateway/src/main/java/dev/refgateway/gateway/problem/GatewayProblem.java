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
    /** Too many failed authentication attempts from the client's address lately ({@code failed-auth-limit}). */
    TOO_MANY_AUTH_FAILURES(Status.TOO_MANY_REQUESTS_429, "too-many-auth-failures",
                           "Too many failed authentication attempts"),
    /** The caller used up its rate limit on the route; {@code Retry-After} says when the next request may pass. */
    RATE_LIMITED(Status.TOO_MANY_REQUESTS_429, "rate-limited", "Too many requests"),
    /** Rate limits are shared through Redis, Redis does not answer, and the gateway is set to fail closed. */
    RATE_LIMITER_UNAVAILABLE(Status.SERVICE_UNAVAILABLE_503, "rate-limiter-unavailable", "Rate limiter unavailable"),
    /** A CORS preflight or cross-origin request whose origin, method or header the route does not allow. */
    CORS_REFUSED(Status.FORBIDDEN_403, "cors-refused", "Cross-origin request refused"),
    /** No route matches the request. */
    ROUTE_NOT_FOUND(Status.NOT_FOUND_404, "route-not-found", "No route matches the request"),
    /** The route translates to gRPC, and no method of its service is bound to the request's method and path. */
    GRPC_METHOD_NOT_FOUND(Status.NOT_FOUND_404, "grpc-method-not-found", "No gRPC method for the request"),
    /** The route translates to gRPC, and a method is bound to the path but not to the request's HTTP method. */
    GRPC_METHOD_NOT_ALLOWED(Status.METHOD_NOT_ALLOWED_405, "grpc-method-not-allowed", "Method not allowed"),
    /**
     * A body translated to gRPC that does not say it is JSON: refused rather than guessed at (a browser's "simple"
     * cross-site form or text/plain post never becomes a call).
     */
    UNSUPPORTED_MEDIA_TYPE(Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported-media-type", "Unsupported media type"),
    /** The path, query or JSON body does not make a valid request message for the gRPC method. */
    INVALID_GRPC_REQUEST(Status.BAD_REQUEST_400, "invalid-grpc-request", "Invalid request for the gRPC method"),
    /** The request's header section is larger than {@code gateway.limits.max-header-bytes}. */
    HEADERS_TOO_LARGE(Status.create(431, "Request Header Fields Too Large"), "headers-too-large",
                      "Request header fields too large"),
    /**
     * The request line and header section did not arrive within {@code gateway.limits.header-read-timeout} of their
     * first byte (a stalled or trickling client); written straight to the connection, which is then closed.
     */
    REQUEST_HEADER_TIMEOUT(Status.REQUEST_TIMEOUT_408, "request-header-timeout", "Request header timeout"),
    /**
     * The request body did not arrive within {@code gateway.limits.body-read-timeout} plus its size's share
     * ({@code body-min-rate}), or paused longer than the timeout; written straight to the connection, then closed.
     */
    REQUEST_BODY_TIMEOUT(Status.REQUEST_TIMEOUT_408, "request-body-timeout", "Request body timeout"),
    /** Message framing is ambiguous or invalid; forwarding it could smuggle a second request. */
    BAD_FRAMING(Status.BAD_REQUEST_400, "bad-framing", "Ambiguous or invalid message framing"),
    /** The request line or a header line breaks HTTP/1.1's syntax (bare LF, a space before a colon, no Host...). */
    MALFORMED_REQUEST(Status.BAD_REQUEST_400, "malformed-request", "Malformed request"),
    /**
     * The request target is refused: an encoded slash on a route that does not allow it, an encoded or raw
     * backslash, a control character, a dot segment with parameters, a path above the root, a fragment.
     */
    INVALID_REQUEST_TARGET(Status.BAD_REQUEST_400, "invalid-request-target", "Invalid request target"),
    /** The request line is longer than {@code server.protocols.http_1_1.max-prologue-length}. */
    URI_TOO_LONG(Status.REQUEST_URI_TOO_LONG_414, "uri-too-long", "URI too long"),
    /** The request body is larger than {@code server.max-payload-size}. */
    PAYLOAD_TOO_LARGE(Status.REQUEST_ENTITY_TOO_LARGE_413, "payload-too-large", "Payload too large"),
    /** A transfer coding other than chunked (e.g. {@code gzip, chunked}): the gateway does not decode them. */
    UNSUPPORTED_TRANSFER_CODING(Status.NOT_IMPLEMENTED_501, "unsupported-transfer-coding",
                                "Unsupported transfer coding"),
    /** A request in another HTTP version than 1.0 or 1.1 on an HTTP/1 port. */
    HTTP_VERSION_NOT_SUPPORTED(Status.HTTP_VERSION_NOT_SUPPORTED_505, "http-version-not-supported",
                               "HTTP version not supported"),
    /** {@code gateway.limits.max-connections} client connections are open; this one is answered and closed. */
    TOO_MANY_CONNECTIONS(Status.SERVICE_UNAVAILABLE_503, "too-many-connections", "Too many connections"),
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

    private final Status status;
    private final String type;
    private final String title;
    private final String label;

    GatewayProblem(Status status, String slug, String title) {
        this.status = status;
        this.type = ProblemResponses.BASE + slug;
        this.label = slug;
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

    /** The short name of the type ({@code route-not-found}): the outcome label of metrics and the access log. */
    public String label() {
        return label;
    }
}
