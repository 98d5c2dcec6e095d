package dev.refgateway.gateway.relay;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.refgateway.discovery.ServiceInstance;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Header;
import io.helidon.http.Method;

/**
 * The gateway's HTTP/1.1 client to instances. Written for a proxy, because Helidon 4.5's WebClient reads an answer
 * that carries both {@code Transfer-Encoding} and {@code Content-Length} by the length (relaying the chunk framing
 * as body bytes), cannot tell that bytes arrived after an answer's end (they become the next request's answer),
 * and adds {@code Content-Length: 0} and {@code User-Agent: Helidon} to requests that had neither.
 * <ul>
 *     <li>Keep-alive connections per instance ({@link ConnectionPool}); a new one after a stale one is found.</li>
 *     <li>The request head and a body in memory go out in one write; a streamed body follows as it is read.</li>
 *     <li>Answers are parsed strictly ({@link ResponseReader}) and their bodies streamed ({@link ResponseBody}).</li>
 *     <li>A request sent on a reused connection that the instance had closed meanwhile (it ends before any byte
 *     of an answer) is sent once more on a new connection, when it is safe to: an idempotent method and a body in
 *     memory. This is the keep-alive race every client has, not a failure of the instance.</li>
 * </ul>
 */
public final class UpstreamClient implements AutoCloseable {

    private static final byte[] HTTP_1_1_CRLF = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HOST = "Host: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ConnectionPool pool;

    /**
     * @param connectTimeout     TCP connect timeout
     * @param maxIdlePerInstance idle keep-alive connections kept per instance
     * @param idleTimeout        an idle connection older than this is closed, never used
     */
    public UpstreamClient(Duration connectTimeout, int maxIdlePerInstance, Duration idleTimeout) {
        this.pool = new ConnectionPool(maxIdlePerInstance, idleTimeout, connectTimeout);
    }

    /**
     * Sends {@code request} to {@code instance} and reads the head of its answer; the body is read from the result.
     *
     * @param readTimeout how long each read of the answer may wait
     * @throws java.net.ConnectException          when no connection could be opened (nothing was sent)
     * @throws java.net.SocketTimeoutException    on a connect or read timeout
     * @throws IOException                        when the connection broke
     * @throws dev.refgateway.gateway.http1.MalformedMessage when the answer is not valid HTTP/1.1
     */
    public UpstreamResponse send(ServiceInstance instance, UpstreamRequest request, Duration readTimeout)
            throws IOException {
        String key = instance.host() + ":" + instance.port();
        UpstreamConnection connection = pool.reuse(key);
        if (connection != null) {
            try {
                return exchange(connection, key, request, readTimeout);
            } catch (ResponseReader.NoAnswer | java.net.SocketException closed) {
                if (!resendable(request)) {
                    throw closed;
                }
                // the instance closed the idle connection as the request went out: once more, on a new one
            }
        }
        return exchange(pool.connect(key, instance.host(), instance.port()), key, request, readTimeout);
    }

    /** Idle connections kept to an instance, for tests and the admin view. */
    public int idleConnections(ServiceInstance instance) {
        return pool.idle(instance.host() + ":" + instance.port());
    }

    @Override
    public void close() {
        pool.close();
    }

    private UpstreamResponse exchange(UpstreamConnection connection, String key, UpstreamRequest request,
                                      Duration readTimeout) throws IOException {
        try {
            connection.readTimeout(readTimeout);
            writeRequest(connection, key, request);
            connection.requestSent();
            return ResponseReader.read(connection, pool, request.method() == Method.HEAD);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static boolean resendable(UpstreamRequest request) {
        Method method = request.method();
        boolean idempotent = method == Method.GET || method == Method.HEAD || method == Method.OPTIONS
                || method == Method.PUT || method == Method.DELETE || method == Method.TRACE;
        return idempotent && (!request.body().present() || request.body().bytes() != null);
    }

    private static void writeRequest(UpstreamConnection connection, String host, UpstreamRequest request)
            throws IOException {
        UpstreamRequest.Body body = request.body();
        byte[] inMemory = body.present() ? body.bytes() : null;
        BufferData head = BufferData.growing(512 + (inMemory == null ? 0 : inMemory.length));
        head.write(request.method().text().getBytes(StandardCharsets.US_ASCII));
        head.write(' ');
        head.write(request.target().getBytes(StandardCharsets.US_ASCII));
        head.write(HTTP_1_1_CRLF);
        head.write(HOST);
        head.write(host.getBytes(StandardCharsets.US_ASCII));
        head.write(CRLF);
        for (Header header : request.headers()) {
            header.writeHttp1Header(head);
        }
        long length = body.present() ? (inMemory != null ? inMemory.length : body.length()) : -2;
        if (length >= 0) {
            head.write(CONTENT_LENGTH);
            head.write(Long.toString(length).getBytes(StandardCharsets.US_ASCII));
            head.write(CRLF);
        } else if (length == -1) {
            head.write(CHUNKED);
        }
        head.write(CRLF);
        if (inMemory != null) {
            head.write(inMemory);
        }
        byte[] bytes = new byte[head.available()];
        head.read(bytes);
        connection.write(bytes, 0, bytes.length);
        if (body.present() && inMemory == null) {
            OutputStream out = new BodyOut(connection, length < 0);
            body.writeTo(out);
            if (length < 0) {
                connection.write(LAST_CHUNK, 0, LAST_CHUNK.length);
            }
        }
    }

    /** A streamed body on its way to the instance: as it is (known length) or one chunk per write. */
    private static final class BodyOut extends OutputStream {
        private final UpstreamConnection connection;
        private final boolean chunked;

        BodyOut(UpstreamConnection connection, boolean chunked) {
            this.connection = connection;
            this.chunked = chunked;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (!chunked) {
                connection.write(bytes, offset, length);
                return;
            }
            if (length == 0) {
                return;
            }
            byte[] size = (Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] chunk = new byte[size.length + length + 2];
            System.arraycopy(size, 0, chunk, 0, size.length);
            System.arraycopy(bytes, offset, chunk, size.length, length);
            chunk[chunk.length - 2] = '\r';
            chunk[chunk.length - 1] = '\n';
            connection.write(chunk, 0, chunk.length);
        }
    }
}
