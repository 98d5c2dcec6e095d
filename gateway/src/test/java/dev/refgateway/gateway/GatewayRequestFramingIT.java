package dev.refgateway.gateway;

import java.io.InputStream;
import java.net.Socket;
import java.util.List;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.gateway.testing.RawAnswer;
import dev.refgateway.gateway.testing.RawSockets;
import dev.refgateway.gateway.testing.RecordingBackend;
import dev.refgateway.gateway.testing.TestGateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the gateway reads what clients send, over raw sockets, with an instance that records every request byte for
 * byte: smuggling attempts reach no instance as a second request, valid but unusual framing is served, HTTP/1.0
 * clients are served, {@code Connection: close} ends the connection, and the path that decides is the path that is
 * forwarded.
 */
class GatewayRequestFramingIT {

    private static final String SERVICE = "svc-request-framing";
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: gw\r\n\r\n";
    private static RecordingBackend backend;
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        ConsulAgent agent = ConsulAgent.shared();
        backend = RecordingBackend.start(SERVICE, agent.client(), RecordingBackend.ok());
        gateway = TestGateway.start(agent.url(), """
                  routes:
                    - id: slashes
                      path: /files/**
                      service: %1$s
                      allow-encoded-slash: true
                    - id: all
                      path: /**
                      service: %1$s
                """.formatted(SERVICE));
        TestGateway.awaitInstances(gateway, SERVICE, 1);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "CL.TE                 | Content-Length: 6\\r\\nTransfer-Encoding: chunked\\r\\n              | 400",
            "TE.CL                 | Transfer-Encoding: chunked\\r\\nContent-Length: 6\\r\\n              | 400",
            "TE with space         | Transfer-Encoding : chunked\\r\\nContent-Length: 6\\r\\n             | 400",
            "TE xchunked           | Transfer-Encoding: xchunked\\r\\n                                   | 400",
            "TE twice              | Transfer-Encoding: chunked\\r\\nTransfer-Encoding: identity\\r\\n    | 400",
            "TE folded             | X-Pad: a\\r\\n Transfer-Encoding: chunked\\r\\n                     | 400",
            "TE tab-folded         | Transfer-Encoding:\\r\\n\\tchunked\\r\\n                            | 400",
            "TE gzip, chunked      | Transfer-Encoding: gzip, chunked\\r\\n                              | 501",
            "CL twice              | Content-Length: 6\\r\\nContent-Length: 7\\r\\n                      | 400",
            "CL list               | Content-Length: 6, 6\\r\\n                                          | 400"})
    void smugglingAttemptsAreRefusedAndWhatFollowsThemNeverReachesAnInstance(String name, String framing,
                                                                             int status) {
        String attack = "POST /attack HTTP/1.1\r\nHost: gw\r\n" + unescape(framing) + "\r\n0\r\n\r\n" + SMUGGLED;

        String raw = RawSockets.exchangeUntilClosed(gateway.port(), attack);

        List<RawAnswer> answers = RawAnswer.all(raw);
        assertThat(answers).hasSize(1);
        assertThat(answers.getFirst().status()).isEqualTo(status);
        assertThat(answers.getFirst().head()).contains("Connection: close");
        assertThat(backend.received()).noneMatch(r -> r.target().startsWith("/attack") || r.target().equals("/smuggled"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "0x5 as a size           | 0x5\\r\\nhello\\r\\n0\\r\\n\\r\\n",
            "size past 2^64          | 1ffffffffffffffff5\\r\\nhello\\r\\n0\\r\\n\\r\\n",
            "data longer than size   | 3\\r\\nhello\\r\\n0\\r\\n\\r\\n",
            "bare LF after the size  | 5\\nhello\\r\\n0\\r\\n\\r\\n",
            "extension past 4 KiB    | 5;x=LONG\\r\\nhello\\r\\n0\\r\\n\\r\\n",
            "garbage extension       | 5 ;=\\r\\nhello\\r\\n0\\r\\n\\r\\n"})
    void aMalformedChunkedBodyIsA400ClosesTheConnectionAndReachesNoInstance(String name, String body) {
        String request = "POST /chunked-bad HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n"
                + unescape(body).replace("LONG", "a".repeat(5000)) + SMUGGLED;

        String raw = RawSockets.exchangeUntilClosed(gateway.port(), request);

        List<RawAnswer> answers = RawAnswer.all(raw);
        assertThat(answers).hasSize(1);
        assertThat(answers.getFirst().status()).isEqualTo(400);
        assertThat(answers.getFirst().head()).contains("Connection: close");
        assertThat(answers.getFirst().body()).contains("https://refgateway.dev/problems/bad-framing");
        assertThat(backend.received()).noneMatch(r -> r.target().equals("/chunked-bad")
                || r.target().equals("/smuggled"));
    }

    @Test
    void chunkExtensionsAndTrailersAreValidAndTheBodyReachesTheInstanceIntact() {
        String request = "POST /chunk-ext HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
                + "\r\n3e8;ext=1\r\n" + "x".repeat(1000) + "\r\n5;a=\"b\"\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n";

        RawAnswer answer = RawAnswer.parse(RawSockets.exchangeUntilClosed(gateway.port(), request));

        assertThat(answer.status()).isEqualTo(200);
        RecordingBackend.Received received = backend.received().getLast();
        assertThat(received.target()).isEqualTo("/chunk-ext");
        // buffered (under the replay limit), so it goes on with its length: the data, exactly
        assertThat(received.header("Content-Length")).isEqualTo("1005");
        assertThat(received.body()).isEqualTo("x".repeat(1000) + "hello");
        assertThat(received.head()).doesNotContain("ext=1", "a=\"b\"", "X-Trailer");
    }

    @Test
    void anHttp10ClientIsServedAndTheConnectionClosedAfterTheAnswer() {
        String raw = RawSockets.exchangeUntilClosed(gateway.port(), "GET /old HTTP/1.0\r\n\r\n" + SMUGGLED);

        List<RawAnswer> answers = RawAnswer.all(raw);
        assertThat(answers).hasSize(1);
        assertThat(answers.getFirst().status()).isEqualTo(200);
        assertThat(answers.getFirst().body()).isEqualTo("ok /old");
        assertThat(answers.getFirst().head()).contains("Connection: close");
        assertThat(backend.received()).anyMatch(r -> r.target().equals("/old"))
                .noneMatch(r -> r.target().equals("/smuggled"));
    }

    @Test
    void anHttp10ClientNeverGetsAChunkedAnswer() {
        backend.respondWith(RecordingBackend.always("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\nold \r\n6\r\nclient\r\n0\r\n\r\n"));
        try {
            String raw = RawSockets.exchangeUntilClosed(gateway.port(),
                                                        "GET /old-chunked HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");

            String head = raw.substring(0, raw.indexOf("\r\n\r\n") + 4);
            assertThat(head).startsWith("HTTP/1.1 200").contains("Connection: close");
            assertThat(head.toLowerCase()).doesNotContain("transfer-encoding");
            // no length known: the end of the connection ends the body
            assertThat(raw.substring(head.length())).isEqualTo("old client");
        } finally {
            backend.respondWith(RecordingBackend.ok());
        }
    }

    @Test
    void anHttp10ClientNeverGetsA100ContinueAndItsBodyArrives() {
        String raw = RawSockets.exchangeUntilClosed(gateway.port(), "POST /old-expect HTTP/1.0\r\nContent-Length: 5\r\n"
                + "Expect: 100-continue\r\n\r\nhello");

        assertThat(raw).startsWith("HTTP/1.1 200").doesNotContain("100 Continue");
        assertThat(RawAnswer.all(raw)).hasSize(1);
        RecordingBackend.Received received = backend.received().getLast();
        assertThat(received.target()).isEqualTo("/old-expect");
        assertThat(received.body()).isEqualTo("hello");
    }

    @Test
    void anHttp10ClientThatAsksForKeepAliveKeepsItsConnection() throws Exception {
        try (Socket socket = RawSockets.open(gateway.port())) {
            InputStream in = socket.getInputStream();
            RawSockets.write(socket, "GET /keep-1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawAnswer first = RawAnswer.parse(RawSockets.readResponse(in));
            RawSockets.write(socket, "GET /keep-2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawAnswer second = RawAnswer.parse(RawSockets.readResponse(in));

            assertThat(first.body()).isEqualTo("ok /keep-1");
            assertThat(first.header("Connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(second.body()).isEqualTo("ok /keep-2");
        }
    }

    @Test
    void connectionCloseIsHonouredAndEchoedAndNothingAfterItIsRead() {
        String raw = RawSockets.exchangeUntilClosed(gateway.port(),
                "GET /closing HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n" + SMUGGLED);

        List<RawAnswer> answers = RawAnswer.all(raw);
        assertThat(answers).hasSize(1);
        assertThat(answers.getFirst().header("Connection")).isEqualTo("close");
        assertThat(backend.received()).noneMatch(r -> r.target().equals("/smuggled"));
    }

    @Test
    void anAbsoluteFormTargetIsForwardedAsAPathAndItsAuthorityWinsOverHost() {
        RawAnswer answer = RawAnswer.parse(RawSockets.exchangeUntilClosed(gateway.port(),
                "GET http://api.example.com/absolute?x=1 HTTP/1.1\r\nHost: other.example\r\nConnection: close\r\n\r\n"));

        assertThat(answer.status()).isEqualTo(200);
        RecordingBackend.Received received = backend.received().getLast();
        assertThat(received.target()).isEqualTo("/absolute?x=1");
        assertThat(received.header("X-Forwarded-Host")).isEqualTo("api.example.com");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"/users/x/%2e%2e/%2E%2E/admin, /admin",
                "/a//b/./c/, /a/b/c/",
                "/%7Euser/caf%c3%a9, /~user/caf%C3%A9",
                "/files/a%2fb, /files/a%2Fb"})
    void theCanonicalPathIsWhatTheInstanceGets(String target, String forwarded) {
        RawAnswer answer = RawAnswer.parse(RawSockets.exchangeUntilClosed(gateway.port(),
                "GET " + target + " HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("ok " + forwarded);
        assertThat(backend.received().getLast().target()).isEqualTo(forwarded);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/secure%2fusers/observe/metrics", "/a/..;/b", "/a%00b", "/a%5cb", "/a\\b", "/a#b",
                            "/../etc/passwd", "/a;jsessionid=1", "/files/a%2F..%2F..%2Fadmin", "/a?x=\u0001"})
    void aTargetThatCouldBeReadTwoWaysIsRefusedAndNeverForwarded(String target) {
        int before = backend.received().size();

        RawAnswer answer = RawAnswer.parse(RawSockets.exchangeUntilClosed(gateway.port(),
                "GET " + target + " HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("https://refgateway.dev/problems/invalid-request-target");
        assertThat(backend.received()).hasSize(before);
    }

    private static String unescape(String text) {
        return text.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
    }
}
