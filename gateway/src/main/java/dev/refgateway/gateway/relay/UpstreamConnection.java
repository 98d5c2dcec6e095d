package dev.refgateway.gateway.relay;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * One keep-alive connection to an instance, with the read buffer its answers are parsed from. Reads are timed (the
 * attempt's read timeout); what is buffered beyond an answer is visible ({@link #buffered()}), which is how an answer
 * with bytes after its end is caught before the connection goes back to the pool.
 */
final class UpstreamConnection implements Closeable {

    private static final int BUFFER = 16 * 1024;

    private final SocketChannel channel;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String instance;
    private byte[] buffer = new byte[BUFFER];
    private int pos;
    private int end;
    private long idleSince;
    private long requests;

    private UpstreamConnection(SocketChannel channel, String instance) throws IOException {
        this.channel = channel;
        this.socket = channel.socket();
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.instance = instance;
    }

    /** Connects to {@code host:port} within {@code timeout}. */
    static UpstreamConnection open(String host, int port, Duration timeout, String instance) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return new UpstreamConnection(channel, instance);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The instance this connection goes to ({@code host:port}), the key of its pool. */
    String instance() {
        return instance;
    }

    /** Requests this connection has carried, this one included once it is sent. */
    long requests() {
        return requests;
    }

    void requestSent() {
        requests++;
    }

    /** The timeout of each read from now on. */
    void readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE));
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
    }

    // --- the read buffer ----------------------------------------------------------------------------------------

    byte[] buffer() {
        return buffer;
    }

    int pos() {
        return pos;
    }

    int end() {
        return end;
    }

    void consume(int n) {
        pos += n;
    }

    /** Unread bytes in the buffer. */
    int buffered() {
        return end - pos;
    }

    /**
     * Reads more bytes into the buffer (keeping the unread ones), growing it up to {@code maxBuffer} when it is full.
     *
     * @return bytes read, or -1 at the end of the stream
     */
    int fill(int maxBuffer) throws IOException {
        if (pos == end) {
            pos = 0;
            end = 0;
        } else if (end == buffer.length) {
            int unread = end - pos;
            if (pos > 0) {
                System.arraycopy(buffer, pos, buffer, 0, unread);
            } else if (buffer.length < maxBuffer) {
                byte[] grown = new byte[Math.min(maxBuffer, buffer.length * 2)];
                System.arraycopy(buffer, 0, grown, 0, unread);
                buffer = grown;
            } else {
                return -2;  // full: the caller's limit
            }
            pos = 0;
            end = unread;
        }
        int n = in.read(buffer, end, buffer.length - end);
        if (n > 0) {
            end += n;
        }
        return n;
    }

    // --- pooling ------------------------------------------------------------------------------------------------

    void idleSince(long nanos) {
        idleSince = nanos;
    }

    long idleSince() {
        return idleSince;
    }

    /**
     * Whether the connection can no longer carry a request: the instance closed it while it was idle, or sent bytes
     * nobody asked for. Looked at without blocking: the channel answers a non-blocking read at once.
     */
    boolean stale() {
        if (pos < end) {
            return true;
        }
        try {
            channel.configureBlocking(false);
            try {
                return channel.read(ByteBuffer.allocate(1)) != 0;
            } finally {
                channel.configureBlocking(true);
            }
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
