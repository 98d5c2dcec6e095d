package dev.refgateway.gateway.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

import dev.refgateway.gateway.failover.ClientBodyFailure;
import dev.refgateway.gateway.relay.UpstreamRequest;

import io.helidon.webserver.http.ServerRequest;

/**
 * The client's request body, prepared for one or more attempts.
 * <p>
 * Bodies up to {@code maxReplayBytes} are read whole before the first attempt, so a retry can send them again.
 * Larger bodies are streamed: the first bytes are read (to learn that the body is large) and the rest flows from the
 * client to the instance as it arrives, never held in memory. How long the client may take is the edge's business
 * (its body deadline cuts a slow client off; the read here then fails). Such a body can be sent only once, and only while none
 * of it has been consumed, which is what {@link #replayable()} reports.
 */
final class RequestBody implements UpstreamRequest.Body {

    private static final RequestBody NONE = new RequestBody(false, new byte[0], 0, null, 0);

    private final boolean present;
    private final byte[] prefix;
    private final int prefixLength;
    private final InputStream rest;
    private final long contentLength;
    private byte[] whole;
    private boolean consumed;
    private long streamed;

    private RequestBody(boolean present, byte[] prefix, int prefixLength, InputStream rest, long contentLength) {
        this.present = present;
        this.prefix = prefix;
        this.prefixLength = prefixLength;
        this.rest = rest;
        this.contentLength = contentLength;
    }

    /**
     * Reads up to {@code maxReplayBytes} of the body.
     *
     * @param contentLength the declared length, or -1 for a chunked body
     */
    static RequestBody read(ServerRequest req, long contentLength, int maxReplayBytes) {
        if (contentLength == 0 || !req.content().hasEntity()) {
            return NONE;
        }
        InputStream in = req.content().inputStream();
        int limit = contentLength > 0 ? (int) Math.min(contentLength, maxReplayBytes + 1L) : maxReplayBytes + 1;
        byte[] buffer = new byte[limit];
        int read = 0;
        while (read < limit) {
            int n = clientRead(in, buffer, read, limit - read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        boolean complete = read < limit || (contentLength > 0 && read == contentLength);
        if (complete) {
            return new RequestBody(true, buffer, read, null, read);
        }
        return new RequestBody(true, buffer, read, in, contentLength);
    }

    /**
     * One read from the client; every client-side failure becomes a ClientBodyFailure: gone, cut off by the edge's
     * body deadline, over the payload limit, or refused framing ({@code RefusedRequest}).
     */
    private static int clientRead(InputStream in, byte[] buffer, int offset, int length) {
        try {
            return in.read(buffer, offset, length);
        } catch (IOException | RuntimeException e) {
            throw new ClientBodyFailure(e);
        }
    }

    @Override
    public boolean present() {
        return present;
    }

    @Override
    public long length() {
        return contentLength;
    }

    @Override
    public byte[] bytes() {
        if (rest != null) {
            return null;
        }
        if (whole == null) {
            whole = prefixLength == prefix.length ? prefix : Arrays.copyOf(prefix, prefixLength);
        }
        return whole;
    }


    /** Whether another attempt can send the whole body again. */
    boolean replayable() {
        return rest == null || !consumed;
    }


    /** Body bytes read from the client so far. */
    long bytesRead() {
        return prefixLength + streamed;
    }

    /**
     * Writes the body to an attempt's request stream. A failure to read the client's side (over the payload limit,
     * stalled, gone) is thrown as {@link ClientBodyFailure} and leaves the upstream request unfinished.
     */
    @Override
    public void writeTo(OutputStream out) throws IOException {
        if (rest != null) {
            consumed = true;
        }
        out.write(prefix, 0, prefixLength);
        if (rest == null) {
            return;
        }
        byte[] buffer = new byte[16 * 1024];
        while (true) {
            int n = clientRead(rest, buffer, 0, buffer.length);
            if (n < 0) {
                return;
            }
            out.write(buffer, 0, n);
            streamed += n;
        }
    }
}
