package dev.refgateway.gateway.relay;

import java.io.InputStream;

import io.helidon.http.Headers;

/**
 * An instance's answer: status and headers as they came (checked, never re-parsed on the way out), and the body as a
 * stream. Close it when done: that returns the connection to the pool or closes it ({@link ResponseBody#close()}).
 */
public final class UpstreamResponse implements AutoCloseable {

    private final int status;
    private final int minorVersion;
    private final Headers headers;
    private final ResponseBody body;
    private final boolean hasBody;

    UpstreamResponse(int status, int minorVersion, Headers headers, ResponseBody body, boolean hasBody) {
        this.status = status;
        this.minorVersion = minorVersion;
        this.headers = headers;
        this.body = body;
        this.hasBody = hasBody;
    }

    /**
     * An answer held in memory rather than read from an instance (a stored answer, a test's scripted one).
     *
     * @param status  the status code
     * @param headers its headers, framing headers excepted
     * @param body    its body; empty for none
     */
    public static UpstreamResponse inMemory(int status, Headers headers, byte[] body) {
        boolean hasBody = status != 204 && status != 304 && status >= 200;
        return new UpstreamResponse(status, 1, headers, ResponseBody.inMemory(hasBody ? body : new byte[0]),
                                    hasBody);
    }

    /**
     * An answer whose body the gateway makes as it goes (a stream of translated messages): no length, so it is
     * relayed chunked and flushed whenever {@code body} has nothing more available; closing the answer closes it.
     *
     * @param status  the status code
     * @param headers its headers, framing headers excepted
     * @param body    the body, read to its end by the relay
     */
    public static UpstreamResponse streamed(int status, Headers headers, InputStream body) {
        return new UpstreamResponse(status, 1, headers, ResponseBody.streamed(body), true);
    }

    /** The status code. */
    public int status() {
        return status;
    }

    /** The instance's HTTP version, {@code 1.0} or {@code 1.1}: what a {@code Via} header names. */
    public String protocolVersion() {
        return minorVersion == 0 ? "1.0" : "1.1";
    }

    /**
     * The instance's headers, framing headers included ({@code Content-Length} is removed when
     * {@code Transfer-Encoding} overrode it). Hop-by-hop headers are the relay's to drop.
     */
    public Headers headers() {
        return headers;
    }

    /** Whether the answer has a body at all (not for HEAD, 1xx, 204 and 304). */
    public boolean hasBody() {
        return hasBody;
    }

    /** The body's length when known ({@code Content-Length}), else -1. */
    public long contentLength() {
        return hasBody ? body.length() : 0;
    }

    /** The body, read as it arrives; {@link InputStream#available()} says what can be read without waiting. */
    public InputStream body() {
        return body;
    }

    /**
     * The whole body when it is at most {@code max} bytes (known length), read to its end so that the connection can
     * be reused; null when it is larger or of unknown length.
     */
    public byte[] smallBody(int max) throws java.io.IOException {
        long length = body.length();
        if (length < 0 || length > max) {
            return null;
        }
        byte[] bytes = new byte[(int) length];
        body.readNBytes(bytes, 0, bytes.length);
        return bytes;
    }

    @Override
    public void close() {
        body.close();
    }
}
