package dev.refgateway.gateway.relay;

import java.io.IOException;
import java.io.InputStream;

import dev.refgateway.gateway.http1.ChunkedDecoder;

/**
 * The body of an instance's answer, read from its connection as the caller asks for it, in one of the three framings
 * of RFC 9112 §6.3: a {@code Content-Length}, chunked, or until the instance closes the connection. Closing it
 * decides the connection's fate: back to the pool only when the body was read to its end, the framing allows another
 * answer on the connection, and not one byte beyond the body has arrived (those bytes would otherwise be read as
 * the answer to the next request: response queue poisoning).
 */
abstract sealed class ResponseBody extends InputStream permits ResponseBody.Fixed, ResponseBody.Chunked,
        ResponseBody.UntilClose, ResponseBody.InMemory, ResponseBody.Streamed {

    /** Largest buffer a chunk size line or trailer may need. */
    static final int MAX_BUFFER = 64 * 1024;

    final UpstreamConnection connection;
    private final ConnectionPool pool;
    private final boolean reusable;
    private boolean complete;
    private boolean closed;

    private ResponseBody(UpstreamConnection connection, ConnectionPool pool, boolean reusable) {
        this.connection = connection;
        this.pool = pool;
        this.reusable = reusable;
    }

    static ResponseBody empty(UpstreamConnection connection, ConnectionPool pool, boolean reusable) {
        return new Fixed(connection, pool, reusable, 0);
    }

    static ResponseBody fixed(UpstreamConnection connection, ConnectionPool pool, boolean reusable, long length) {
        return new Fixed(connection, pool, reusable, length);
    }

    static ResponseBody chunked(UpstreamConnection connection, ConnectionPool pool, boolean reusable) {
        return new Chunked(connection, pool, reusable);
    }

    static ResponseBody untilClose(UpstreamConnection connection, ConnectionPool pool) {
        return new UntilClose(connection, pool);
    }

    static ResponseBody inMemory(byte[] bytes) {
        return new InMemory(bytes);
    }

    static ResponseBody streamed(InputStream source) {
        return new Streamed(source);
    }

    /** The body's length when the framing says it, else -1. */
    abstract long length();

    /** Whether the body has been read to its end. */
    final boolean complete() {
        return complete;
    }

    final void completed() {
        complete = true;
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    /**
     * Ends the exchange: the connection goes back to the pool when everything allowed it, else it is closed. A body
     * left unread is not read now (it could be large or endless), unless it is all in the buffer already.
     */
    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeSource();
        if (connection == null) {
            return;
        }
        if (!complete) {
            skipBufferedRest();
        }
        if (complete && reusable && connection.buffered() == 0) {
            pool.release(connection);
        } else {
            connection.close();
        }
    }

    /** Copies up to {@code max} buffered bytes into {@code bytes}; the caller made sure some are buffered. */
    final int take(byte[] bytes, int offset, long max) {
        int n = (int) Math.min(max, connection.buffered());
        System.arraycopy(connection.buffer(), connection.pos(), bytes, offset, n);
        connection.consume(n);
        return n;
    }

    /** Releases what a body of the gateway's own making holds (none read from a connection holds anything). */
    void closeSource() {
    }

    /** Completes the body without reading from the socket when its rest is in the buffer already. */
    void skipBufferedRest() {
    }

    /** A body of known length (possibly 0). */
    static final class Fixed extends ResponseBody {
        private final long length;
        private long remaining;

        Fixed(UpstreamConnection connection, ConnectionPool pool, boolean reusable, long length) {
            super(connection, pool, reusable);
            this.length = length;
            this.remaining = length;
            if (length == 0) {
                completed();
            }
        }

        @Override
        long length() {
            return length;
        }

        @Override
        public int read(byte[] bytes, int offset, int count) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            if (connection.buffered() == 0 && connection.fill(MAX_BUFFER) < 0) {
                throw new IOException("the instance closed the connection " + remaining + " bytes before the end of "
                        + "its answer's body");
            }
            int n = take(bytes, offset, Math.min(count, remaining));
            remaining -= n;
            if (remaining == 0) {
                completed();
            }
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(remaining, connection.buffered());
        }

        @Override
        void skipBufferedRest() {
            if (remaining > 0 && remaining <= connection.buffered()) {
                connection.consume((int) remaining);
                remaining = 0;
                completed();
            }
        }
    }

    /** A chunked body, decoded strictly ({@link ChunkedDecoder}); trailers are dropped. */
    static final class Chunked extends ResponseBody {
        private final ChunkedDecoder decoder = new ChunkedDecoder(MAX_BUFFER);

        Chunked(UpstreamConnection connection, ConnectionPool pool, boolean reusable) {
            super(connection, pool, reusable);
        }

        @Override
        long length() {
            return -1;
        }

        @Override
        public int read(byte[] bytes, int offset, int count) throws IOException {
            while (true) {
                skipFraming();
                if (decoder.finished()) {
                    completed();
                    return -1;
                }
                if (decoder.dataRemaining() > 0 && connection.buffered() > 0) {
                    int n = take(bytes, offset, Math.min(count, decoder.dataRemaining()));
                    decoder.dataTaken(n);
                    return n;
                }
                if (connection.fill(MAX_BUFFER) < 0) {
                    throw new IOException("the instance closed the connection in the middle of a chunked body");
                }
            }
        }

        /** Data bytes readable without blocking: framing in the buffer is walked over first. */
        @Override
        public int available() {
            skipFraming();
            return (int) Math.min(decoder.dataRemaining(), connection.buffered());
        }

        private void skipFraming() {
            if (connection.buffered() > 0 && decoder.dataRemaining() == 0 && !decoder.finished()) {
                int pos = decoder.skipFraming(connection.buffer(), connection.pos(), connection.end());
                connection.consume(pos - connection.pos());
                if (decoder.finished()) {
                    completed();
                }
            }
        }

        @Override
        void skipBufferedRest() {
            skipFraming();
        }
    }

    /** A body that ends when the instance closes the connection; such a connection is never reused. */
    static final class UntilClose extends ResponseBody {
        UntilClose(UpstreamConnection connection, ConnectionPool pool) {
            super(connection, pool, false);
        }

        @Override
        long length() {
            return -1;
        }

        @Override
        public int read(byte[] bytes, int offset, int count) throws IOException {
            if (complete()) {
                return -1;
            }
            if (connection.buffered() == 0 && connection.fill(MAX_BUFFER) < 0) {
                completed();
                return -1;
            }
            return take(bytes, offset, count);
        }

        @Override
        public int available() {
            return connection.buffered();
        }
    }

    /** A body already in memory, on no connection: an answer the gateway holds rather than reads. */
    static final class InMemory extends ResponseBody {
        private final byte[] bytes;
        private int pos;

        InMemory(byte[] bytes) {
            super(null, null, false);
            this.bytes = bytes;
            if (bytes.length == 0) {
                completed();
            }
        }

        @Override
        long length() {
            return bytes.length;
        }

        @Override
        public int read(byte[] into, int offset, int count) {
            if (pos == bytes.length) {
                completed();
                return -1;
            }
            int n = Math.min(count, bytes.length - pos);
            System.arraycopy(bytes, pos, into, offset, n);
            pos += n;
            if (pos == bytes.length) {
                completed();
            }
            return n;
        }

        @Override
        public int available() {
            return bytes.length - pos;
        }
    }

    /**
     * A body of unknown length made by the gateway as it goes (a translated stream of gRPC messages): its
     * {@code available()} says when the relay should flush; closing it closes the source.
     */
    static final class Streamed extends ResponseBody {
        private final InputStream source;

        Streamed(InputStream source) {
            super(null, null, false);
            this.source = source;
        }

        @Override
        long length() {
            return -1;
        }

        @Override
        public int read(byte[] into, int offset, int count) throws IOException {
            int n = source.read(into, offset, count);
            if (n < 0) {
                completed();
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return source.available();
        }

        @Override
        void closeSource() {
            try {
                source.close();
            } catch (IOException e) {
                // nothing is left to tell: the answer is over either way
            }
        }
    }
}
