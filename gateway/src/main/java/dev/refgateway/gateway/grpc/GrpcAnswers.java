package dev.refgateway.gateway.grpc;

import java.io.InputStream;
import java.util.Locale;
import java.util.Set;

import dev.refgateway.gateway.http1.MalformedMessage;
import dev.refgateway.gateway.problem.ProblemResponses;
import dev.refgateway.gateway.relay.UpstreamResponse;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;

import io.grpc.Metadata;

/**
 * An instance's gRPC answer as the HTTP answer the relay sends: the message as JSON, a stream of them, or the status
 * as a problem document ({@code type} {@code .../problems/grpc-not-found} and so on, the status message as
 * {@code detail}). The instance's response headers go along, except gRPC's own and binary ones.
 */
final class GrpcAnswers {

    private static final Set<String> RESERVED = Set.of("content-type", "content-length", "te", "user-agent",
                                                       "transfer-encoding", "connection", "keep-alive", "upgrade",
                                                       "host", "date", "server");

    private GrpcAnswers() {
    }

    static UpstreamResponse message(Metadata headers, byte[] json) {
        WritableHeaders<?> http = headers(headers);
        http.set(HeaderValues.create(HeaderNames.CONTENT_TYPE, "application/json"));
        return UpstreamResponse.inMemory(200, http, json);
    }

    static UpstreamResponse stream(Metadata headers, MessageStream.Format format, InputStream body) {
        WritableHeaders<?> http = headers(headers);
        http.set(HeaderValues.create(HeaderNames.CONTENT_TYPE, format.contentType));
        // a stream is live data: no cache may keep it, and no proxy on the way should buffer it
        http.set(HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store"));
        http.set(HeaderValues.create(HeaderNames.create("X-Accel-Buffering"), "no"));
        return UpstreamResponse.streamed(200, http, body);
    }

    static UpstreamResponse status(Metadata headers, io.grpc.Status status, String path) {
        WritableHeaders<?> http = headers(headers);
        http.set(HeaderValues.create(HeaderNames.CONTENT_TYPE, ProblemResponses.PROBLEM_JSON.text()));
        http.set(HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store"));
        return UpstreamResponse.inMemory(StatusMapping.httpStatus(status.getCode()), http, problem(status, path));
    }

    /** The problem document of a gRPC status. */
    static byte[] problem(io.grpc.Status status, String path) {
        Status http = Status.create(StatusMapping.httpStatus(status.getCode()));
        String detail = status.getDescription() != null ? status.getDescription() : status.getCode().name();
        return ProblemResponses.json(http, StatusMapping.problemType(status.getCode()),
                                     "gRPC " + status.getCode().name(), detail, path);
    }

    /**
     * The instance's ASCII response headers that mean something to an HTTP client: not gRPC's own, not binary, not
     * the framing or {@code Content-*} ones (the gateway writes the body and says what it is).
     *
     * @throws MalformedMessage for a value with a control character: HPACK and grpc-java let CR and LF through, and
     *                          relayed they would split the client's answer (an invalid answer, as for HTTP instances)
     */
    private static WritableHeaders<?> headers(Metadata metadata) {
        WritableHeaders<?> http = WritableHeaders.create();
        if (metadata == null) {
            return http;
        }
        for (String key : metadata.keys()) {
            String name = key.toLowerCase(Locale.ROOT);
            if (name.startsWith("grpc-") || name.startsWith("content-") || name.endsWith(Metadata.BINARY_HEADER_SUFFIX)
                    || RESERVED.contains(name) || !validKey(name)) {
                continue;
            }
            Iterable<String> values = metadata.getAll(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
            if (values != null) {
                for (String value : values) {
                    if (!value.chars().allMatch(c -> c >= 0x20 && c <= 0x7E || c == '\t')) {
                        throw new MalformedMessage("the instance's response header " + name
                                                           + " has a control character");
                    }
                    http.add(HeaderValues.create(HeaderNames.create(name), value));
                }
            }
        }
        return http;
    }

    /** Request headers as the call's metadata: what an HTTP instance would have got, minus what gRPC reserves. */
    static Metadata metadata(Headers headers) {
        Metadata metadata = new Metadata();
        headers.forEach(header -> {
            String name = header.name().toLowerCase(Locale.ROOT);
            if (name.startsWith("grpc-") || name.endsWith(Metadata.BINARY_HEADER_SUFFIX) || RESERVED.contains(name)
                    || !validKey(name)) {
                return;
            }
            Metadata.Key<String> key = Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
            for (String value : header.allValues()) {
                if (value.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
                    metadata.put(key, value);
                }
            }
        });
        return metadata;
    }

    // gRPC's header names: lower-case letters, digits, '-', '_' and '.'
    private static boolean validKey(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.');
    }
}
