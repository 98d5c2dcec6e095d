package dev.refgateway.gateway.edge;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.refgateway.gateway.http1.RequestTarget;
import dev.refgateway.gateway.testing.RawAnswer;
import dev.refgateway.gateway.testing.RawSockets;

import io.helidon.http.Status;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a plain Helidon 4.5.0 server and client do with the inputs the gateway's edge and relay exist for. Each test
 * pins a behaviour the gateway works around (the class that does so is named); when a Helidon upgrade changes one,
 * its test fails, and the workaround can be looked at again — kept, simplified, or dropped.
 */
@ServerTest
class HelidonShortcomingsTest {

    private static final Queue<String> HANDLED = new ConcurrentLinkedQueue<>();

    private final int port;

    HelidonShortcomingsTest(WebServer server) {
        this.port = server.port();
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.get("/no-content", (req, res) -> res.status(Status.NO_CONTENT_204).send())
                .any(HelidonShortcomingsTest::handle);
    }

    @BeforeEach
    void forget() {
        HANDLED.clear();
    }

    /** {@link RequestFramer} accepts and drops chunk extensions (RFC 9112 §7.1.1 makes them valid). */
    @Test
    void aValidChunkExtensionIsNotServed() throws IOException {
        String raw = exchangeBriefly("POST /ext HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=1\r\nhello\r\n0\r\n\r\n");

        assertThat(raw).doesNotStartWith("HTTP/1.1 200");
        assertThat(HANDLED).containsExactly("/ext");
    }

    /** {@link RequestFramer} reads chunk size lines strictly: {@code 0x5} is refused with 400 and the end. */
    @Test
    void aChunkSizeWithA0xPrefixIsNotRefusedAsBadRequest() throws IOException {
        String raw = exchangeBriefly("POST /hex HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0x5\r\nhello\r\n0\r\n\r\n");

        assertThat(raw).doesNotStartWith("HTTP/1.1 400");
    }

    /** {@link RequestFramer} serves HTTP/1.0 (read as 1.1 with Connection: close) and {@link ResponseWriter}
     * keeps its answers unchunked. */
    @Test
    void http10IsAnswered505() {
        String raw = RawSockets.exchangeUntilClosed(port, "GET /old HTTP/1.0\r\n\r\n");

        assertThat(raw).startsWith("HTTP/1.1 505");
        assertThat(HANDLED).isEmpty();
    }

    /** {@link RequestFramer} reads nothing after a request that says {@code Connection: close}. */
    @Test
    void aRequestThatAsksToCloseDoesNotEndTheConnection() throws IOException {
        String raw = exchangeBriefly("GET /first HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
                + "GET /second HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

        assertThat(RawAnswer.all(raw)).hasSize(2);
        assertThat(List.copyOf(HANDLED)).containsExactly("/first", "/second");
    }

    /** {@link ResponseWriter} takes the {@code Content-Length: 0} out of 204 answers (RFC 9110 §8.6). */
    @Test
    void a204GetsAContentLength() throws IOException {
        String raw = exchangeBriefly("GET /no-content HTTP/1.1\r\nHost: h\r\n\r\n");

        assertThat(raw).startsWith("HTTP/1.1 204").contains("Content-Length: 0");
    }

    /**
     * {@link RequestTarget} makes the one canonical path: Helidon's decoded {@code path()} resolves literal dots
     * before decoding, so encoded ones survive as {@code ..}, and it turns {@code %2F} into a separator.
     */
    @Test
    void theDecodedPathKeepsEncodedDotSegmentsAndTurnsEncodedSlashesIntoSeparators() throws IOException {
        exchangeBriefly("GET /a/%2e%2e/b%2Fc HTTP/1.1\r\nHost: h\r\n\r\n");

        assertThat(List.copyOf(HANDLED)).containsExactly("/a/../b/c");
    }

    /**
     * The gateway's own client ({@code relay.UpstreamClient}) lets Transfer-Encoding win: Helidon's WebClient reads
     * an answer with both by its Content-Length, so the chunk framing arrives as body bytes.
     */
    @Test
    void theWebClientReadsAnAnswerWithBothFramingsByItsLength() throws Exception {
        String answer = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n";
        try (ServerSocket upstream = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket socket = upstream.accept()) {
                    socket.getInputStream().read(new byte[4096]);
                    OutputStream out = socket.getOutputStream();
                    out.write(answer.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // the test fails on what the client got
                }
            });
            Http1Client client = WebClient.builder().baseUri("http://127.0.0.1:" + upstream.getLocalPort()).build()
                    .client(Http1Client.PROTOCOL);
            try (Http1ClientResponse res = client.get("/both").request()) {
                assertThat(res.as(String.class)).isEqualTo("5\r\nhello\r\n");
            }
        }
    }

    /** Sends {@code request} and collects what arrives within two seconds (a connection Helidon keeps open). */
    private String exchangeBriefly(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(2000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = socket.getInputStream().read(buffer)) >= 0) {
                    got.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException stillOpenOrReset) {
                // what arrived is what counts
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static void handle(ServerRequest req, ServerResponse res) throws IOException {
        HANDLED.add(req.path().path());
        req.content().inputStream().readAllBytes();
        res.send("ok");
    }
}
