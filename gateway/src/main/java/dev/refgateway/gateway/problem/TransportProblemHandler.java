package dev.refgateway.gateway.problem;

import java.nio.charset.StandardCharsets;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * Problem details for what Helidon itself refuses before (or around) any handler: an oversized payload, a Host header
 * its own validation rejects, and whatever the edge lets through that Helidon still will not take. Without this those
 * answers would be plain text and miss the stable {@code type} every other error has. These answers close the
 * connection: the bytes after a refused request cannot be trusted to start a new one.
 */
public final class TransportProblemHandler implements DirectHandler {

    @Override
    public TransportResponse handle(TransportRequest request,
                                    EventType eventType,
                                    Status status,
                                    ServerResponseHeaders headers,
                                    String message) {
        int code = status.code();
        GatewayProblem problem = switch (code) {
            case 400 -> GatewayProblem.MALFORMED_REQUEST;
            case 408 -> GatewayProblem.REQUEST_BODY_TIMEOUT;
            case 413 -> GatewayProblem.PAYLOAD_TOO_LARGE;
            case 414 -> GatewayProblem.URI_TOO_LONG;
            case 431 -> GatewayProblem.HEADERS_TOO_LARGE;
            case 501 -> GatewayProblem.UNSUPPORTED_TRANSFER_CODING;
            case 505 -> GatewayProblem.HTTP_VERSION_NOT_SUPPORTED;
            default -> null;
        };
        String type = problem == null ? ProblemResponses.BASE + (code >= 500 ? "internal-error" : "bad-request")
                : problem.type();
        String title = problem == null ? status.reasonPhrase() : problem.title();
        // Helidon's 4xx messages describe the request ("Request contains both Content-Length and
        // Transfer-Encoding"); 5xx messages may describe internals and are never shown.
        String detail = problem == null && code >= 500 || message == null || message.isBlank()
                ? status.reasonPhrase()
                : message;
        String path = request.path() == null ? "" : request.path();
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, ProblemResponses.PROBLEM_JSON.text())
                .header(HeaderNames.CACHE_CONTROL, "no-store")
                .keepAlive(false)
                .entity(ProblemResponses.body(status, type, title, detail, path).getBytes(StandardCharsets.UTF_8))
                .build();
    }
}
