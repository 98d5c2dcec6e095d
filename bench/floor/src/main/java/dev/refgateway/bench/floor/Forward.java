package dev.refgateway.bench.floor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.http.ClientResponseHeaders;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.http.media.ReadableEntity;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Forwards each request to the next backend, round robin, and relays its answer: method, raw path and query,
 * end-to-end headers and the body on the way out; status, end-to-end headers and the body on the way back. A body
 * of known length up to 64 KiB is read whole and sent in one write, its length set first (a streamed answer goes
 * out chunked, and Helidon sends a stream's first buffer only when a second write comes); a larger one, or one of
 * unknown length, streams through.
 */
final class Forward implements Handler {

    private static final int SINGLE_WRITE_LIMIT = 64 * 1024;
    /**
     * Hop-by-hop headers (RFC 9110 §7.6.1), besides those {@code Connection} names, and the framing each side sets
     * for its own message: the WebClient writes {@code Host} for the backend and the length of what it sends,
     * Helidon's server the length or chunking of the answer.
     */
    private static final Set<String> NOT_RELAYED = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization", "host",
            "content-length");

    private final WebClient client;
    private final List<String> backends;
    private final AtomicInteger next = new AtomicInteger();

    Forward(WebClient client, List<String> backends) {
        this.client = client;
        this.backends = backends;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws IOException {
        HttpPrologue prologue = req.prologue();
        String query = prologue.query().rawValue();
        String backend = backends.get(Math.floorMod(next.getAndIncrement(), backends.size()));
        URI target;
        try {
            target = URI.create(backend + prologue.uriPath().rawPath() + (query.isEmpty() ? "" : "?" + query));
        } catch (IllegalArgumentException e) {
            res.status(Status.BAD_REQUEST_400).send();
            return;
        }
        HttpClientRequest out = client.method(prologue.method()).uri(target);
        copy(req.headers(), out.headers());
        HttpClientResponse answer;
        try {
            answer = send(out, req);
        } catch (RuntimeException e) {
            // nothing was answered yet: connection refused, reset, timeout
            res.status(Status.BAD_GATEWAY_502).send();
            return;
        }
        try (answer) {
            relay(answer, res);
        }
    }

    private static HttpClientResponse send(HttpClientRequest out, ServerRequest req) {
        ReadableEntity body = req.content();
        if (!body.hasEntity()) {
            return out.request();
        }
        long length = req.headers().contentLength().orElse(-1);
        if (length >= 0 && length <= SINGLE_WRITE_LIMIT) {
            return out.submit(body.as(byte[].class));
        }
        if (length >= 0) {
            out.headers().contentLength(length);
        }
        return out.outputStream(stream -> {
            try (InputStream in = body.inputStream(); stream) {
                in.transferTo(stream);
            }
        });
    }

    private static void relay(HttpClientResponse answer, ServerResponse res) throws IOException {
        ClientResponseHeaders headers = answer.headers();
        res.status(answer.status());
        copy(headers, res.headers());
        ReadableEntity body = answer.entity();
        if (!body.hasEntity()) {
            res.send();
            return;
        }
        long length = headers.contentLength().orElse(-1);
        if (length >= 0 && length <= SINGLE_WRITE_LIMIT) {
            res.send(body.as(byte[].class));
            return;
        }
        if (length >= 0) {
            res.headers().contentLength(length);
        }
        try (InputStream in = body.inputStream(); OutputStream stream = res.outputStream()) {
            in.transferTo(stream);
        }
    }

    /** The end-to-end headers of {@code from}: all but the hop-by-hop ones and those its Connection names. */
    private static void copy(Headers from, WritableHeaders<?> to) {
        Set<String> listed = from.contains(HeaderNames.CONNECTION)
                ? Set.copyOf(from.values(HeaderNames.CONNECTION).stream()
                                     .map(name -> name.strip().toLowerCase(Locale.ROOT)).toList())
                : Set.of();
        for (Header header : from) {
            String name = header.headerName().lowerCase();
            if (!NOT_RELAYED.contains(name) && !listed.contains(name)) {
                to.add(header);
            }
        }
    }
}
