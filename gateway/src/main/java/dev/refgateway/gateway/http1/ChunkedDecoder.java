package dev.refgateway.gateway.http1;

/**
 * Reads a chunked body (RFC 9112 §7.1) strictly, as it arrives, without copying its data: the caller hands it
 * whatever bytes it has, {@link #skipFraming} walks over size lines, the CRLF after each chunk and the trailer
 * section, and the data bytes are taken by the caller straight from its own buffer ({@link #dataRemaining},
 * {@link #dataTaken}). Framing split across reads is kept in a small line buffer.
 * <pre>
 *   while (pos &lt; end &amp;&amp; !decoder.finished()) {
 *       pos = decoder.skipFraming(buffer, pos, end);
 *       int n = (int) Math.min(decoder.dataRemaining(), end - pos);
 *       if (n &gt; 0) { use(buffer, pos, n); decoder.dataTaken(n); pos += n; }
 *   }
 * </pre>
 * Refused with {@link MalformedMessage}: a bad size line ({@link ChunkSizeLine}), a bare LF or CR, chunk data longer
 * than its size (anything but CRLF after it), a malformed trailer field, trailers larger than the limit. Trailers are
 * checked and dropped. After {@link #finished()}, the bytes that follow belong to the next message.
 */
public final class ChunkedDecoder {

    private enum State { SIZE_LINE, DATA, DATA_CR, DATA_LF, TRAILER_LINE, DONE }

    private final int maxTrailerBytes;
    private final FieldLine field = new FieldLine();
    private byte[] line = new byte[64];
    private int lineLength;
    private State state = State.SIZE_LINE;
    private long dataRemaining;
    private long bodyBytes;
    private int trailerBytes;

    /** @param maxTrailerBytes how many bytes the trailer section may have in all */
    public ChunkedDecoder(int maxTrailerBytes) {
        this.maxTrailerBytes = maxTrailerBytes;
    }

    /**
     * Walks over framing in {@code in[from, to)} until chunk data starts, the body ends, or the bytes run out.
     *
     * @return the position of the first byte not consumed: chunk data when {@link #dataRemaining()} is positive,
     *         the byte after the body when {@link #finished()}, else {@code to}
     * @throws MalformedMessage when the framing is invalid
     */
    public int skipFraming(byte[] in, int from, int to) {
        int pos = from;
        while (pos < to) {
            switch (state) {
                case DATA -> {
                    return pos;
                }
                case DONE -> {
                    return pos;
                }
                case DATA_CR -> {
                    if (in[pos] != '\r') {
                        throw new MalformedMessage(in[pos] == '\n' ? "chunk data is followed by a bare LF"
                                : "chunk data is longer than its declared size");
                    }
                    state = State.DATA_LF;
                    pos++;
                }
                case DATA_LF -> {
                    if (in[pos] != '\n') {
                        throw new MalformedMessage("chunk data is not followed by CRLF");
                    }
                    state = State.SIZE_LINE;
                    pos++;
                }
                case SIZE_LINE, TRAILER_LINE -> {
                    int lf = indexOfLf(in, pos, to);
                    int end = lf < 0 ? to : lf;
                    append(in, pos, end);
                    pos = end;
                    if (lf < 0) {
                        return pos;
                    }
                    pos++; // the LF
                    lineComplete();
                }
            }
        }
        return pos;
    }

    /** Bytes of chunk data left in the current chunk; 0 while framing is being read. */
    public long dataRemaining() {
        return state == State.DATA ? dataRemaining : 0;
    }

    /** The caller took {@code n} data bytes (at most {@link #dataRemaining()}). */
    public void dataTaken(int n) {
        dataRemaining -= n;
        bodyBytes += n;
        if (dataRemaining == 0) {
            state = State.DATA_CR;
        }
    }

    /** Whether the last chunk and the trailer section have been read: the body is complete. */
    public boolean finished() {
        return state == State.DONE;
    }

    /** Data bytes of the body so far. */
    public long bodyBytes() {
        return bodyBytes;
    }

    private void lineComplete() {
        if (lineLength == 0 || line[lineLength - 1] != '\r') {
            throw new MalformedMessage("a line of chunked framing ends with a bare LF");
        }
        int length = lineLength - 1;
        for (int i = 0; i < length; i++) {
            if (line[i] == '\r') {
                throw new MalformedMessage("a line of chunked framing has a bare CR");
            }
        }
        lineLength = 0;
        if (state == State.SIZE_LINE) {
            long size = ChunkSizeLine.parse(line, 0, length);
            if (size == 0) {
                state = State.TRAILER_LINE;
            } else {
                dataRemaining = size;
                state = State.DATA;
            }
            return;
        }
        // a trailer field line, or the empty line that ends the body
        if (length == 0) {
            state = State.DONE;
            return;
        }
        field.parse(line, 0, length);
    }

    private void append(byte[] in, int from, int to) {
        int n = to - from;
        int limit = state == State.SIZE_LINE ? ChunkSizeLine.MAX_LENGTH + 1 : maxTrailerBytes - trailerBytes;
        if (lineLength + n > limit) {
            throw new MalformedMessage(state == State.SIZE_LINE
                    ? "a chunk size line is longer than " + ChunkSizeLine.MAX_LENGTH + " bytes"
                    : "the trailer section is larger than " + maxTrailerBytes + " bytes");
        }
        if (state == State.TRAILER_LINE) {
            trailerBytes += n;
        }
        if (lineLength + n > line.length) {
            byte[] grown = new byte[Math.max(line.length * 2, lineLength + n)];
            System.arraycopy(line, 0, grown, 0, lineLength);
            line = grown;
        }
        System.arraycopy(in, from, line, lineLength, n);
        lineLength += n;
    }

    private static int indexOfLf(byte[] in, int from, int to) {
        for (int i = from; i < to; i++) {
            if (in[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
