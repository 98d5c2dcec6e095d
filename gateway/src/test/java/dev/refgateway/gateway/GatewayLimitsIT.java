package dev.refgateway.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.gateway.testing.Backend;
import dev.refgateway.gateway.testing.RawSockets;
import dev.refgateway.gateway.testing.TestGateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Request limits at the edge, over raw sockets so nothing in a client library softens what is sent: request line
 * (414), header section (431), body (413 up front for a declared length, on the fly for a chunked one, the upstream
 * request abandoned) and a client stalling in its body (408, closed). None of these requests reaches the backend
 * complete.
 */
class GatewayLimitsIT {

    private static final String SERVICE = "svc-limits";
    private static final int MAX_PAYLOAD = 256 * 1024;

    private static Backend backend;
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        ConsulAgent agent = ConsulAgent.shared();
        backend = Backend.start(SERVICE, agent.client());
        gateway = TestGateway.start(agent.url(), """
                  max-payload-size: %d
                  protocols:
                    http_1_1:
                      max-prologue-length: 1024
                      max-headers-size: 8192
                """.formatted(MAX_PAYLOAD), """
                  limits:
                    max-header-bytes: 2048
                    body-read-timeout: 1s
                  routes:
                    - id: echo
                      path: /echo/**
                      service: %s
                """.formatted(SERVICE));
        await().atMost(Duration.ofSeconds(20)).until(() -> RawSockets.exchange(gateway.port(), "GET /echo/ready HTTP/1.1\r\nHost: gw\r\n\r\n")
                .startsWith("HTTP/1.1 200"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void aRequestLineOverTheLimitIsRefusedWith414() {
        int hits = backend.hits();

        String answer = RawSockets.exchange(gateway.port(), "GET /echo/" + "a".repeat(2000) + " HTTP/1.1\r\nHost: gw\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 414");
        assertThat(answer).contains("application/problem+json").contains("\"status\":414")
                .contains("https://refgateway.dev/problems/uri-too-long");
        assertThat(backend.hits()).isEqualTo(hits);
    }

    @Test
    void aHeaderSectionOverTheGatewayLimitIsRefusedWith431() {
        int hits = backend.hits();

        String answer = RawSockets.exchange(gateway.port(), "GET /echo/big HTTP/1.1\r\nHost: gw\r\nX-Big: " + "b".repeat(3000) + "\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 431");
        assertThat(answer).contains("application/problem+json").contains("\"status\":431")
                .contains("https://refgateway.dev/problems/headers-too-large")
                .contains("the header section is larger than 2048 bytes");
        assertThat(backend.hits()).isEqualTo(hits);
    }

    @Test
    void aHeaderSectionFarOverTheLimitIsStill431AndTheConnectionClosesBeforeAllOfItIsRead() {
        int hits = backend.hits();

        // Larger than Helidon's own cap too: the edge answers before Helidon's parser ever sees it.
        String answer = RawSockets.exchange(gateway.port(), "GET /echo/huge HTTP/1.1\r\nHost: gw\r\nX-Big: "
                + "b".repeat(90_000) + "\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 431").contains("Connection: close")
                .contains("\"status\":431");
        assertThat(backend.hits()).isEqualTo(hits);
    }

    @Test
    void aDeclaredContentLengthOverTheLimitIsRefusedBeforeTheBodyIsSent() {
        int hits = backend.hits();

        // No body byte follows: the answer can only come from the declared length.
        String answer = RawSockets.exchange(gateway.port(), "POST /echo/declared HTTP/1.1\r\nHost: gw\r\nContent-Length: " + (MAX_PAYLOAD + 1)
                                     + "\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(answer).contains("application/problem+json").contains("\"status\":413")
                .contains("https://refgateway.dev/problems/payload-too-large");
        assertThat(backend.hits()).isEqualTo(hits);
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedWith413AndTheUpstreamRequestIsAbandoned() throws Exception {
        String answer;
        try (Socket socket = RawSockets.open(gateway.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("POST /echo/chunked HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n"
                              .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[16 * 1024];
            // Over the limit in 16 KiB chunks, past the replay buffer: the body is already streaming upstream when
            // the count passes the limit. The gateway may close before all is written.
            try {
                for (int sent = 0; sent < 2 * MAX_PAYLOAD; sent += chunk.length) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException closedByGateway) {
                // expected when the gateway answers early
            }
            answer = RawSockets.readUntilClosed(socket.getInputStream());
        }

        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(answer).contains("application/problem+json").contains("\"status\":413");
        // The backend records an echo only after reading a complete body: a cut-off one never looks complete.
        Thread.sleep(1500);
        assertThat(backend.received()).noneMatch(r -> "/echo/chunked".equals(r.get("path")));
    }

    @Test
    void aClientThatStallsInTheBodyIsCutOffAndTheBackendNeverSeesACompleteRequest() throws Exception {
        long started = System.nanoTime();
        String answer;
        try (Socket socket = RawSockets.open(gateway.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("POST /echo/stalled HTTP/1.1\r\nHost: gw\r\nContent-Length: 200000\r\n\r\n"
                              .getBytes(StandardCharsets.US_ASCII));
            // past the replay buffer, so the body is already streaming upstream when the client stalls
            out.write(new byte[100_000]);
            out.flush();
            answer = RawSockets.readUntilClosed(socket.getInputStream());
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        // body-read-timeout is 1 s and no byte came for longer: 408 (no answer had started) and closed, well before
        // the test's own 15 s socket timeout
        assertThat(answer).startsWith("HTTP/1.1 408").contains("Connection: close")
                .contains("https://refgateway.dev/problems/request-body-timeout");
        assertThat(elapsed).isLessThan(Duration.ofSeconds(10));
        Thread.sleep(1500);
        assertThat(backend.received()).noneMatch(r -> "/echo/stalled".equals(r.get("path")));
    }
}
