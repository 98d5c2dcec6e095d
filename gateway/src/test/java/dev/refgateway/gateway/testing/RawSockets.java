package dev.refgateway.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for tests that need what no well-behaved client sends: stalled or trickled heads,
 * bodies cut short, exact request lines. Bytes are ISO-8859-1 both ways.
 */
public final class RawSockets {

    /** Read timeout of the sockets opened here: a test waiting longer than this fails. */
    private static final int READ_TIMEOUT_MILLIS = 15_000;

    private RawSockets() {
    }

    /** A connection to {@code port} on the loopback address. */
    public static Socket open(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    public static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Sends {@code request} on a new connection and reads one response; an I/O failure is returned as text. */
    public static String exchange(int port, String request) {
        try (Socket socket = open(port)) {
            write(socket, request);
            return readResponse(socket.getInputStream());
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    /**
     * Sends {@code request} on a new connection and reads everything until the gateway closes it (the request should
     * say {@code Connection: close}, or be one the gateway refuses); an I/O failure is returned as text.
     */
    public static String exchangeUntilClosed(int port, String request) {
        try (Socket socket = open(port)) {
            write(socket, request);
            return readUntilClosed(socket.getInputStream());
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    /** One response: up to the end of its headers plus Content-Length bytes, or until the connection closes. */
    public static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            bytes.write(b);
            String text = bytes.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                int lengthAt = text.toLowerCase().indexOf("content-length:");
                int length = lengthAt < 0 || lengthAt > end ? 0
                        : Integer.parseInt(text.substring(lengthAt + 15, text.indexOf("\r\n", lengthAt)).trim());
                return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
            }
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    /** Everything until the server closes the connection; a read timeout fails the test. */
    public static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            in.transferTo(bytes);
        } catch (SocketException reset) {
            // a reset after the answer (the client's next byte hit the closed socket): keep what arrived
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
