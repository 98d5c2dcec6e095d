package dev.refgateway.gateway.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Consumer;

import dev.refgateway.gateway.http1.MalformedMessage;
import dev.refgateway.gateway.relay.headers.HopByHopHeaders;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerResponse;

/**
 * Writes an instance's answer to the client: its status, its end-to-end headers ({@link HopByHopHeaders}), a
 * {@code Via} of the gateway's (RFC 9110 §7.6.3, unless switched off), then the gateway's own headers, then the body.
 * <ul>
 *     <li>No body for HEAD, 204 and 304 (a HEAD keeps its {@code Content-Length}).</li>
 *     <li>A body of known length up to 64 KiB is read whole and sent with the head in one write — reading it to its
 *     end is also what lets the upstream connection go back to the pool.</li>
 *     <li>Anything else is streamed as it arrives and flushed whenever nothing more is waiting in the connection's
 *     buffer: an instance sending events one by one (Server-Sent Events) gets each one to the client at once.</li>
 * </ul>
 * A body that fails before its first byte could be read throws before anything is committed (the caller can still
 * answer 502); one that fails later ends the client connection ({@link CloseConnectionException}): a truncated
 * answer.
 */
public final class Relay {

    /** Bodies of known length up to this size go out in one write with the head. */
    public static final int SINGLE_WRITE_LIMIT = 64 * 1024;
    private static final HeaderName VIA = HeaderNames.VIA;
    private static final int STREAM_BUFFER = 16 * 1024;

    private final String viaName;

    /** @param via whether answers (and requests) carry the gateway's {@code Via} */
    public Relay(boolean via) {
        this.viaName = via ? "refgateway" : null;
    }

    /** The {@code Via} element the gateway adds for a message received as HTTP/{@code version}; null when off. */
    public String via(String version) {
        return viaName == null ? null : version + " " + viaName;
    }

    /**
     * Relays {@code answer} to {@code res}.
     *
     * @param headRequest whether the client's request was a HEAD
     * @param gateway     sets the gateway's own headers after the instance's are copied (they win)
     * @return the body bytes streamed, or -1 when the answer went out whole ({@code res.isSent()} is then true; a
     *         streamed answer is committed by Helidon only after the handler returns, so this is what is known of it)
     * @throws IOException when the body could not be read from the instance or written to the client
     */
    public long relay(UpstreamResponse answer, ServerResponse res, boolean headRequest,
                      Consumer<ServerResponseHeaders> gateway) throws IOException {
        res.status(Status.create(answer.status()));
        ServerResponseHeaders headers = res.headers();
        HopByHopHeaders.copyResponseHeaders(answer.headers(), headers);
        String via = via(answer.protocolVersion());
        if (via != null) {
            headers.add(HeaderValues.create(VIA, via));
        }
        gateway.accept(headers);
        if (!answer.hasBody()) {
            if (headRequest && answer.headers().contentLength().isPresent()) {
                headers.contentLength(answer.headers().contentLength().getAsLong());
            }
            res.send();
            return -1;
        }
        byte[] small = answer.smallBody(SINGLE_WRITE_LIMIT);
        if (small != null) {
            res.send(small);
            return -1;
        }
        long length = answer.contentLength();
        if (length >= 0) {
            headers.contentLength(length);
        }
        InputStream in = answer.body();
        byte[] buffer = new byte[STREAM_BUFFER];
        // The first read happens before the answer is committed: a body broken from its start is still a 502.
        int n = in.read(buffer);
        long written = 0;
        try (OutputStream out = res.outputStream()) {
            while (n >= 0) {
                out.write(buffer, 0, n);
                written += n;
                if (in.available() == 0) {
                    // nothing more has arrived: what we have goes to the client now, not when a buffer fills
                    out.flush();
                }
                n = in.read(buffer);
            }
        } catch (IOException | MalformedMessage e) {
            // Committed: the client connection is closed, so the client sees a truncated answer, never a spliced
            // one, and never an answer of Helidon's made up in its place.
            throw new CloseConnectionException("The body of an instance's answer broke midway", e);
        }
        return written;
    }
}
