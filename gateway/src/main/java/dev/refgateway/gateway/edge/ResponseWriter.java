package dev.refgateway.gateway.edge;

import java.util.concurrent.atomic.AtomicInteger;

import dev.refgateway.gateway.http1.ChunkedDecoder;
import dev.refgateway.gateway.http1.MalformedMessage;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import io.helidon.webserver.ServerConnectionException;

/**
 * The connection's writer, with two jobs Helidon's lacks.
 * <ul>
 *     <li>One writer per answer: either the request's handler writes the answer, or the sweeper does (a 408 when a
 *     deadline passed) — never both, never interleaved. Whoever writes first claims the answer; writes of the loser
 *     are refused.</li>
 *     <li>HTTP/1.0 clients cannot read chunked answers (RFC 9112 §7). Helidon writes an answer of unknown length
 *     chunked whatever the client's version (it only knows HTTP/1.1, see {@link RequestFramer}); for an HTTP/1.0
 *     request such an answer is turned back into plain bytes here, with {@code Transfer-Encoding} removed and
 *     {@code Connection: close} instead of keep-alive: the end of the connection ends the body.</li>
 * </ul>
 * <ul>
 *     <li>No made-up {@code Content-Length} on a 204 or a 304. Helidon 4.5 adds {@code Content-Length: 0} to every
 *     one it writes: RFC 9110 §8.6 forbids it on a 204, and on a 304 allows only the length of the 200 it stands
 *     for. The line is taken out of the head here.</li>
 * </ul>
 * Any other HTTP/1.1 answer passes through untouched.
 */
final class ResponseWriter implements DataWriter {

    private static final int FREE = 0;
    private static final int HANDLER = 1;
    private static final int SWEEPER = 2;

    private final DataWriter socket;
    private final AtomicInteger owner = new AtomicInteger(FREE);
    private final Runnable closeAfterAnswer;
    // HTTP/1.0 answers: touched by the writing thread only
    private boolean http10;
    private boolean answerStart = true;
    private byte[] head;
    private ChunkedDecoder dechunk;

    /**
     * @param socket           the server's writer of this connection
     * @param closeAfterAnswer called when an answer is turned into one the connection's end must terminate
     */
    ResponseWriter(DataWriter socket, Runnable closeAfterAnswer) {
        this.socket = socket;
        this.closeAfterAnswer = closeAfterAnswer;
    }

    /** A new request: its answer is nobody's yet; {@code http10} says whether its client speaks HTTP/1.0. */
    void nextAnswer(boolean http10) {
        this.http10 = http10;
        this.answerStart = true;
        // (a 100 Continue is never written to an HTTP/1.0 client: the framer drops its Expect)
        this.head = http10 ? new byte[0] : null;
        this.dechunk = null;
        owner.compareAndSet(HANDLER, FREE);
    }

    /**
     * The connection's own thread answers a refused head: takes the answer unless the sweeper has (a 408 for the
     * same head is under way); false then, and nothing must be written.
     */
    boolean claimForEdge() {
        return owner.compareAndSet(FREE, HANDLER) || owner.get() == HANDLER;
    }

    /** Sweeper: takes the answer over if nobody has written any of it; false when the handler already has. */
    boolean claimForSweeper() {
        return owner.compareAndSet(FREE, SWEEPER) || owner.get() == SWEEPER;
    }

    /** Writes straight to the socket, for the sweeper once it {@link #claimForSweeper() claimed} the answer. */
    void writeAsSweeper(byte[] answer) {
        socket.writeNow(BufferData.create(answer));
    }

    /** Whether the handler has started its answer. */
    boolean answerStarted() {
        return owner.get() == HANDLER;
    }

    @Override
    public void write(BufferData... buffers) {
        for (BufferData buffer : buffers) {
            write(buffer);
        }
    }

    @Override
    public void write(BufferData buffer) {
        claim();
        buffer = noMadeUpLength(buffer);
        if (http10) {
            downgrade(buffer, false);
        } else {
            socket.write(buffer);
        }
    }

    @Override
    public void writeNow(BufferData... buffers) {
        for (BufferData buffer : buffers) {
            writeNow(buffer);
        }
    }

    @Override
    public void writeNow(BufferData buffer) {
        claim();
        buffer = noMadeUpLength(buffer);
        if (http10) {
            downgrade(buffer, true);
        } else {
            socket.writeNow(buffer);
        }
    }

    @Override
    public void flush() {
        socket.flush();
    }

    @Override
    public void close() {
        socket.close();
    }

    private void claim() {
        if (owner.get() != HANDLER && !owner.compareAndSet(FREE, HANDLER)) {
            throw new ServerConnectionException("the connection was cut off (deadline passed)",
                                                new IllegalStateException("answer claimed by the sweeper"));
        }
    }

    /** The first bytes of an answer: a 204's or 304's head loses the {@code Content-Length: 0} Helidon put in. */
    private BufferData noMadeUpLength(BufferData buffer) {
        if (!answerStart) {
            return buffer;
        }
        if (buffer.available() > 9 && buffer.get(9) == '1') {
            return buffer;   // an interim answer (100 Continue): the real one follows
        }
        answerStart = false;
        boolean noContent = buffer.available() >= 13 && buffer.get(12) == ' '
                && (buffer.get(9) == '2' && buffer.get(10) == '0' && buffer.get(11) == '4'
                    || buffer.get(9) == '3' && buffer.get(10) == '0' && buffer.get(11) == '4');
        if (!noContent) {
            return buffer;
        }
        byte[] bytes = new byte[buffer.available()];
        buffer.read(bytes);
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0 || !text.startsWith("HTTP/1.1 ")) {
            return BufferData.create(bytes);
        }
        StringBuilder head = new StringBuilder(headEnd + 4);
        for (String line : text.substring(0, headEnd).split("\r\n")) {
            boolean lengthZero = line.regionMatches(true, 0, "content-length:", 0, 15)
                    && line.substring(15).strip().equals("0");
            if (!lengthZero) {
                head.append(line).append("\r\n");
            }
        }
        head.append("\r\n").append(text, headEnd + 4, text.length());
        return BufferData.create(head.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** HTTP/1.0: the head is checked for chunked framing once complete; a chunked body is decoded to its data. */
    private void downgrade(BufferData buffer, boolean now) {
        byte[] bytes = new byte[buffer.available()];
        buffer.read(bytes);
        int from = 0;
        if (head != null) {
            byte[] joined = new byte[head.length + bytes.length];
            System.arraycopy(head, 0, joined, 0, head.length);
            System.arraycopy(bytes, 0, joined, head.length, bytes.length);
            int headEnd = headEnd(joined);
            if (headEnd < 0) {
                head = joined;
                return;
            }
            head = null;
            String headText = new String(joined, 0, headEnd, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (isChunked(headText)) {
                dechunk = new ChunkedDecoder(64 * 1024);
                closeAfterAnswer.run();
                headText = withoutChunkedFraming(headText);
            }
            emit(headText.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0,
                 headText.length(), now);
            bytes = joined;
            from = headEnd;
        }
        if (dechunk == null) {
            emit(bytes, from, bytes.length, now);
            return;
        }
        try {
            int pos = from;
            while (pos < bytes.length && !dechunk.finished()) {
                pos = dechunk.skipFraming(bytes, pos, bytes.length);
                int n = (int) Math.min(dechunk.dataRemaining(), bytes.length - pos);
                if (n > 0) {
                    emit(bytes, pos, pos + n, now);
                    dechunk.dataTaken(n);
                    pos += n;
                }
            }
        } catch (MalformedMessage e) {
            throw new IllegalStateException("Helidon wrote invalid chunked framing: " + e.getMessage(), e);
        }
    }

    private void emit(byte[] bytes, int from, int to, boolean now) {
        if (to <= from) {
            return;
        }
        BufferData data = BufferData.create(bytes, from, to - from);
        if (now) {
            socket.writeNow(data);
        } else {
            socket.write(data);
        }
    }

    /** Index after the head's empty line, or -1. */
    private static int headEnd(byte[] bytes) {
        for (int i = 3; i < bytes.length; i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    private static boolean isChunked(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("transfer-encoding")
                    && line.substring(colon + 1).toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
                return true;
            }
        }
        return false;
    }

    /** The head without Transfer-Encoding and with {@code Connection: close} as its only Connection header. */
    private static String withoutChunkedFraming(String head) {
        StringBuilder out = new StringBuilder(head.length());
        for (String line : head.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon > 0 ? line.substring(0, colon) : "";
            if (name.equalsIgnoreCase("transfer-encoding") || name.equalsIgnoreCase("connection")) {
                continue;
            }
            out.append(line).append("\r\n");
        }
        return out.append("Connection: close\r\n\r\n").toString();
    }
}
