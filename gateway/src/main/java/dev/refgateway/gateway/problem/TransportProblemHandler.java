package dev.refgateway.gateway.problem;

import java.nio.charset.StandardCharsets;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * Problem details for what Helidon rejects before any handler runs: unparseable request lines, bad or ambiguous
 * framing (both Content-Length and Transfer-Encoding, duplicate lengths), oversized headers or payloads, HTTP/1.0.
 * Without this those answers would be plain text and miss the stable {@code type} every other error has.
 * A framing error closes the connection: the bytes after it cannot be trusted to start a new request.
 */
public final class TransportProblemHandler implements DirectHandler {

    private static final String BASE = "https://refgateway.dev/problems/";

    @Override
    public TransportResponse handle(TransportRequest request,
                                    EventType eventType,
                                    Status status,
                                    ServerResponseHeaders headers,
                                    String message) {
        int code = status.code();
        String slug = switch (code) {
            case 400 -> "malformed-request";
            case 413 -> "payload-too-large";
            case 414 -> "uri-too-long";
            case 431 -> "headers-too-large";
            case 501 -> "not-implemented";
            case 505 -> "http-version-not-supported";
            default -> code >= 500 ? "internal-error" : "bad-request";
        };
        // Helidon's 4xx messages describe the request ("Request contains both Content-Length and
        // Transfer-Encoding"); 5xx messages may describe internals and are never shown.
        String detail = code >= 500 && code != 501 && code != 505 || message == null || message.isBlank()
                ? status.reasonPhrase()
                : message;
        String path = request.path() == null ? "" : request.path();
        String body = "{\"type\":" + ProblemResponses.quote(BASE + slug)
                + ",\"title\":" + ProblemResponses.quote(status.reasonPhrase())
                + ",\"status\":" + code
                + ",\"detail\":" + ProblemResponses.quote(detail)
                + ",\"instance\":" + ProblemResponses.quote(path) + "}";
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, ProblemResponses.PROBLEM_JSON.text())
                .header(HeaderNames.CACHE_CONTROL, "no-store")
                .keepAlive(false)
                .entity(body.getBytes(StandardCharsets.UTF_8))
                .build();
    }
}
