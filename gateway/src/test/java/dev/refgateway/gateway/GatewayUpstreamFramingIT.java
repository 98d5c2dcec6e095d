package dev.refgateway.gateway;

import java.io.InputStream;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.gateway.testing.RawAnswer;
import dev.refgateway.gateway.testing.RawSockets;
import dev.refgateway.gateway.testing.RecordingBackend;
import dev.refgateway.gateway.testing.TestGateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the gateway does with answers whose framing an instance got wrong, against a raw-socket instance that sends
 * exactly the bytes each test scripts: nothing malformed reaches a client, nothing after an answer's end is taken for
 * the next answer, and the connection to such an instance is not used again.
 */
class GatewayUpstreamFramingIT {

    private static final String SERVICE = "svc-upstream-framing";
    private static RecordingBackend backend;
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        ConsulAgent agent = ConsulAgent.shared();
        backend = RecordingBackend.start(SERVICE, agent.client(), RecordingBackend.ok());
        // One instance that answers badly on purpose: it must not be ejected or its circuit opened for it.
        gateway = TestGateway.start(agent.url(), """
                  outlier: {consecutive-failures: 1000}
                  circuit-breaker: {enabled: false}
                  routes:
                    - id: all
                      path: /**
                      service: %s
                      retry: {max-attempts: 1}
                """.formatted(SERVICE));
        TestGateway.awaitInstances(gateway, SERVICE, 1);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    @BeforeEach
    void answerPlainly() {
        backend.respondWith(RecordingBackend.ok());
    }

    @Test
    void transferEncodingWinsOverContentLengthAndThatConnectionIsNotUsedAgain() {
        backend.respondWith(RecordingBackend.always("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));

        RawAnswer answer = RawAnswer.parse(RawSockets.exchangeUntilClosed(gateway.port(),
                "GET /both HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n"));
        backend.respondWith(RecordingBackend.ok());
        RawAnswer next = RawAnswer.parse(RawSockets.exchangeUntilClosed(gateway.port(),
                "GET /next HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("hello");   // the data, not the chunk framing, not 3 bytes of it
        assertThat(answer.header("Content-Length")).isNotEqualTo("3");
        assertThat(next.body()).isEqualTo("ok /next");
        List<RecordingBackend.Received> received = backend.received();
        assertThat(received.getLast().connection()).isNotEqualTo(received.get(received.size() - 2).connection());
    }

    @Test
    void bytesAfterADeclaredBodyNeverReachAnyClient() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        backend.respondWith((request, out) -> {
            String answer = answered.getAndIncrement() == 0
                    ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nPOISON"
                    : "HTTP/1.1 200 OK\r\nContent-Length: " + ("ok " + request.target()).length() + "\r\n\r\nok "
                      + request.target();
            out.write(answer.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.flush();
            return true;
        });

        String first;
        String second;
        try (Socket socket = RawSockets.open(gateway.port())) {
            InputStream in = socket.getInputStream();
            RawSockets.write(socket, "GET /first HTTP/1.1\r\nHost: gw\r\n\r\n");
            first = RawSockets.readResponse(in);
            RawSockets.write(socket, "GET /second HTTP/1.1\r\nHost: gw\r\n\r\n");
            second = RawSockets.readResponse(in);
        }
        String third = RawSockets.exchangeUntilClosed(gateway.port(),
                "GET /third HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");

        assertThat(RawAnswer.parse(first).body()).isEqualTo("ok");
        assertThat(RawAnswer.parse(second).body()).isEqualTo("ok /second");
        assertThat(RawAnswer.parse(third).body()).isEqualTo("ok /third");
        assertThat(first + second + third).doesNotContain("POISON");
        List<RecordingBackend.Received> received = backend.received();
        RecordingBackend.Received poisoned = received.stream().filter(r -> r.target().equals("/first")).findFirst()
                .orElseThrow();
        RecordingBackend.Received after = received.stream().filter(r -> r.target().equals("/second")).findFirst()
                .orElseThrow();
        assertThat(after.connection()).isNotEqualTo(poisoned.connection());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"X-Bad: a\rb", "X-Bad: a\u0000b", "X-Bad: a\u000bb", "X-Bad : spaced", " folded: x",
                            "no-colon", "X-Bad: a\nsmuggled: yes"})
    void anAnswerWithAMalformedHeaderIsA502AndNothingOfItIsRelayed(String line) {
        backend.respondWith(RecordingBackend.always("HTTP/1.1 200 OK\r\n" + line + "\r\nContent-Length: 6\r\n\r\n"
                + "SECRET"));

        RawAnswer answer = RawAnswer.parse(RawSockets.exchangeUntilClosed(gateway.port(),
                "GET /bad-header HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n"));

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.body()).contains("https://refgateway.dev/problems/bad-upstream-response")
                .doesNotContain("SECRET");
        assertThat(answer.head()).doesNotContain("X-Bad", "smuggled", "folded");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nx",
                            "HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nhello",
                            "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nx",
                            "HTTP/2 200\r\n\r\n",
                            "HTTP/1.1 2000 OK\r\n\r\n",
                            "ICY 200 OK\r\n\r\n",
                            "HTTP/1.1 200 OK\nContent-Length: 0\n\n"})
    void anAnswerThatIsNotValidHttp11IsA502(String raw) {
        backend.respondWith((request, out) -> {
            out.write(raw.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.flush();
            return false;
        });

        RawAnswer answer = RawAnswer.parse(RawSockets.exchangeUntilClosed(gateway.port(),
                "GET /invalid HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n"));

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.body()).contains("bad-upstream-response");
    }

    @Test
    void a204NeverCarriesAContentLength() {
        backend.respondWith(RecordingBackend.always("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\nX-A: 1\r\n\r\n"));
        String withLength = RawSockets.exchangeUntilClosed(gateway.port(),
                "DELETE /with-length HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");
        backend.respondWith(RecordingBackend.always("HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n"));
        String without = RawSockets.exchangeUntilClosed(gateway.port(),
                "DELETE /without HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");

        for (String raw : List.of(withLength, without)) {
            assertThat(raw).startsWith("HTTP/1.1 204").contains("X-A: 1").endsWith("\r\n\r\n");
            assertThat(raw.toLowerCase()).doesNotContain("content-length").doesNotContain("transfer-encoding");
        }
    }

    @Test
    void requestsAndAnswersCarryTheGatewaysVia() {
        RawAnswer answer = RawAnswer.parse(RawSockets.exchangeUntilClosed(gateway.port(),
                "GET /via HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n"));

        assertThat(answer.header("Via")).isEqualTo("1.1 refgateway");
        assertThat(backend.received().getLast().header("Via")).isEqualTo("1.1 refgateway");
    }

    @Test
    void anAnswerEndedByClosingTheConnectionIsRelayedWhole() {
        backend.respondWith((request, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end".getBytes());
            out.flush();
            return false;
        });

        RawAnswer answer = RawAnswer.parse(RawSockets.exchangeUntilClosed(gateway.port(),
                "GET /until-close HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("until the end");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
                            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"})
    void aBodyThatBreaksBeforeAnythingWasSentIsA502NotAHalfAnswer(String raw) {
        backend.respondWith((request, out) -> {
            out.write(raw.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.flush();
            return false;
        });

        RawAnswer answer = RawAnswer.parse(RawSockets.exchangeUntilClosed(gateway.port(),
                "GET /broken-body HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n"));

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.body()).contains("bad-upstream-response").doesNotContain("hello", "short");
        assertThat(answer.header("X-Request-Id")).isNotBlank();
    }

    @Test
    void aChunkedBodyThatBreaksAfterItsFirstBytesEndsTheConnectionWithoutACompleteAnswerOrA500() {
        backend.respondWith((request, out) -> {
            out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello!!0\r\n\r\n".getBytes());
            out.flush();
            return false;
        });

        String raw = RawSockets.exchangeUntilClosed(gateway.port(),
                "GET /broken-later HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");

        assertThat(raw).doesNotContain(" 500 ", "0\r\n\r\n");
    }

    @Test
    void aBodyCutShortByTheInstanceCutsTheClientsConnectionToo() {
        backend.respondWith((request, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + 200_000 + "\r\n\r\n").getBytes());
            out.write(new byte[100_000]);
            out.flush();
            return false;
        });

        String raw = RawSockets.exchangeUntilClosed(gateway.port(), "GET /short HTTP/1.1\r\nHost: gw\r\n\r\n");

        // the client sees a truncated answer and a closed connection, never a complete-looking one
        assertThat(raw).startsWith("HTTP/1.1 200").contains("Content-Length: 200000");
        assertThat(raw.length() - raw.indexOf("\r\n\r\n") - 4).isLessThan(200_000);
    }
}
