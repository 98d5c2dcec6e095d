package dev.refgateway.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Writes exact bytes to a server and reads until it closes the connection: the only way to send framing that no
 * well-behaved HTTP client would produce.
 */
public final class RawHttp {

    private static final int READ_TIMEOUT_MILLIS = 5_000;

    private RawHttp() {
    }

    /**
     * Sends {@code request} (CRLF line ends expected), half-closes the connection and returns everything the server
     * answered until it closed its side. Fails if the server keeps the connection open longer than the timeout.
     */
    public static String exchange(int port, String request) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(answer);
            return answer.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * How many responses the server wrote: occurrences of {@code "HTTP/1.1 "} (a request line ends in
     * {@code "HTTP/1.1\r\n"}, so echoed requests are not counted).
     */
    public static int responseCount(String answer) {
        int count = 0;
        for (int at = answer.indexOf("HTTP/1.1 "); at >= 0; at = answer.indexOf("HTTP/1.1 ", at + 1)) {
            count++;
        }
        return count;
    }

    /** The body of the last response in {@code answer}. */
    public static String lastBody(String answer) {
        return answer.substring(answer.lastIndexOf("\r\n\r\n") + 4);
    }
}
