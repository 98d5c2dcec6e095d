package dev.refgateway.gateway.edge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

import dev.refgateway.gateway.testing.RawHttp;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * What a Helidon 4.5.0 server plus {@link RequestFraming} do with hostile framing, byte for byte over a socket.
 * <p>
 * Finding: Helidon's HTTP/1 connection validates framing itself, before any filter or handler runs, and answers
 * with an empty 400 (or 501) plus {@code Connection: close}; the bytes after the headers are never parsed as a
 * request. The handler, and so {@link RequestFraming}, only ever sees framing Helidon accepted — and agrees with
 * it. If a Helidon upgrade changes this, these tests fail and say which request now reaches the handler.
 */
@ServerTest
class RawFramingBehaviourTest {

    /** What each handler invocation saw: the request path and RequestFraming's verdict. */
    private static final Queue<String> HANDLED = new ConcurrentLinkedQueue<>();
    /** Pipelined after every body: reaching the handler with it would mean a smuggled request. */
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n";

    private final int port;

    RawFramingBehaviourTest(WebServer server) {
        this.port = server.port();
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.any(RawFramingBehaviourTest::handle);
    }

    @BeforeEach
    void forgetEarlierRequests() {
        HANDLED.clear();
    }

    static Stream<Arguments> rejectedByTheServer() {
        return Stream.of(
                arguments("CL + TE", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n", 400),
                arguments("TE + CL", "Transfer-Encoding: chunked\r\nContent-Length: 44\r\n", "0\r\n\r\n", 400),
                arguments("two equal CL", "Content-Length: 5\r\nContent-Length: 5\r\n", "hello", 400),
                arguments("two different CL", "Content-Length: 5\r\nContent-Length: 49\r\n", "hello", 400),
                arguments("CL list", "Content-Length: 5, 5\r\n", "hello", 400),
                arguments("CL +5", "Content-Length: +5\r\n", "hello", 400),
                arguments("CL -1", "Content-Length: -1\r\n", "5\r\nhello\r\n0\r\n\r\n", 400),
                arguments("CL overflow", "Content-Length: 99999999999999999999\r\n", "hello", 400),
                arguments("CL not a number", "Content-Length: abc\r\n", "hello", 400),
                arguments("TE chunked, gzip", "Transfer-Encoding: chunked, gzip\r\n", "5\r\nhello\r\n0\r\n\r\n", 400),
                arguments("TE chunked twice", "Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n", 400),
                arguments("TE gzip", "Transfer-Encoding: gzip\r\n", "hello", 400),
                arguments("TE gzip, chunked", "Transfer-Encoding: gzip, chunked\r\n", "5\r\nhello\r\n0\r\n\r\n", 501),
                arguments("TE gzip + TE chunked", "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
                          "5\r\nhello\r\n0\r\n\r\n", 501));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedByTheServer")
    void serverRejectsBadFramingBeforeAnyHandlerAndClosesTheConnection(String description, String framing,
                                                                       String body, int status) {
        String answer = RawHttp.exchange(port, "POST /echo HTTP/1.1\r\nHost: localhost\r\n" + framing + "\r\n"
                + body + SMUGGLED);

        assertThat(answer).startsWith("HTTP/1.1 " + status + " ")
                .contains("Connection: close\r\n")
                .contains("Content-Length: 0\r\n")
                .endsWith("\r\n\r\n");
        assertThat(RawHttp.responseCount(answer)).isEqualTo(1);
        assertThat(HANDLED).isEmpty();
    }

    static Stream<Arguments> acceptedByBoth() {
        return Stream.of(
                arguments("chunked", "Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n", "CHUNKED -1 hello"),
                arguments("Chunked in another case", "Transfer-Encoding: Chunked\r\n", "5\r\nhello\r\n0\r\n\r\n",
                          "CHUNKED -1 hello"),
                arguments("one CL", "Content-Length: 5\r\n", "hello", "CONTENT_LENGTH 5 hello"),
                arguments("CL with leading zeros", "Content-Length: 005\r\n", "hello", "CONTENT_LENGTH 5 hello"),
                arguments("no framing", "", "", "NO_BODY -1 "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedByBoth")
    void framingTheServerAcceptsIsAcceptedByRequestFramingWithTheSameLength(String description, String framing,
                                                                           String body, String echoed) {
        // The pipelined request after the body is a legitimate second request here: both must be answered.
        String answer = RawHttp.exchange(port, "POST /echo HTTP/1.1\r\nHost: localhost\r\n" + framing + "\r\n"
                + body + SMUGGLED);

        assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\n\r\n" + echoed + "HTTP/1.1 200 OK\r\n");
        assertThat(RawHttp.responseCount(answer)).isEqualTo(2);
        assertThat(List.copyOf(HANDLED)).containsExactly("/echo " + echoed.substring(0, echoed.indexOf(' ')),
                                                         "/smuggled NO_BODY");
    }

    private static void handle(ServerRequest req, ServerResponse res) throws IOException {
        RequestFraming.Result framing = RequestFraming.check(req.headers());
        HANDLED.add(req.path().rawPath() + " " + framing.kind());
        if (!framing.valid()) {
            res.status(Status.BAD_REQUEST_400).header(HeaderValues.CONNECTION_CLOSE).send(framing.reason());
            return;
        }
        String body = new String(req.content().inputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        res.send(framing.kind() + " " + framing.contentLength() + " " + body);
    }
}
