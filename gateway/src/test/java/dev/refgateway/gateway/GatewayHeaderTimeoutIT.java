package dev.refgateway.gateway;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.gateway.testing.Backend;
import dev.refgateway.gateway.testing.RawSockets;
import dev.refgateway.gateway.testing.TestGateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.refgateway.gateway.testing.GatewayMetricsText.metric;
import static dev.refgateway.gateway.testing.GatewayMetricsText.scrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The header-read timeout (gateway.limits.header-read-timeout, 1 s here), over raw sockets: a client that stalls or
 * trickles its request line and headers is answered 408 and cut off, and none of its requests reaches the backend;
 * a keep-alive connection may idle between requests for longer than the timeout; a slow client that finishes in
 * time is served.
 */
class GatewayHeaderTimeoutIT {

    private static final String SERVICE = "svc-header-timeout";
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    // The sweeper may see an overdue head a tenth of the timeout late; the rest is a loaded machine's scheduling.
    private static final Duration CUT_OFF_WITHIN = TIMEOUT.plusSeconds(3);
    private static final String TIMEOUT_TYPE = "https://refgateway.dev/problems/request-header-timeout";
    private static final String METRIC = "gateway_header_read_timeouts_total";

    private static Backend backend;
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        ConsulAgent agent = ConsulAgent.shared();
        backend = Backend.start(SERVICE, agent.client());
        // protocols.http_1_1 configured as in application.yaml: the gateway's HTTP/1.1 reads it, and Helidon's own
        // must not be offered next to it (or a connection that sends nothing would never be closed).
        gateway = TestGateway.start(agent.url(), """
                  idle-connection-timeout: PT30S
                  protocols:
                    http_1_1:
                      max-headers-size: 8192
                """, """
                  limits:
                    header-read-timeout: %dms
                  routes:
                    - id: echo
                      path: /echo/**
                      service: %s
                """.formatted(TIMEOUT.toMillis(), SERVICE));
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
    void aClientThatStallsMidHeadersGets408AndIsCutOff() throws IOException {
        double cutOffsBefore = cutOffs();
        long started = System.nanoTime();
        String answer;
        try (Socket socket = RawSockets.open(gateway.port())) {
            RawSockets.write(socket, "GET /echo/stalled HTTP/1.1\r\nHost: gw\r\nX-Partial: ab");
            answer = RawSockets.readUntilClosed(socket.getInputStream());
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        assertThat(answer).startsWith("HTTP/1.1 408");
        assertThat(answer).contains("Connection: close").contains("application/problem+json")
                .contains("\"status\":408").contains(TIMEOUT_TYPE);
        assertThat(elapsed).isBetween(TIMEOUT.minusMillis(100), CUT_OFF_WITHIN);
        assertThat(backend.received()).noneMatch(r -> "/echo/stalled".equals(r.get("path")));
        assertThat(cutOffs()).isGreaterThanOrEqualTo(cutOffsBefore + 1);
    }

    @Test
    void aClientTricklingItsHeadersIsCutOffAlthoughEveryReadIsQuick() throws Exception {
        long started = System.nanoTime();
        String answer;
        try (Socket socket = RawSockets.open(gateway.port())) {
            RawSockets.write(socket, "GET /echo/trickled HTTP/1.1\r\nHost: gw\r\n");
            // One byte every 200 ms, forever: "X-Pad: 0123456\r\n" again and again, a valid and endless header
            // section (16 KiB of it would take 55 min). Only a deadline on the whole head stops it.
            Thread trickler = Thread.ofVirtual().start(() -> {
                byte[] line = "X-Pad: 0123456\r\n".getBytes(StandardCharsets.US_ASCII);
                try {
                    for (int i = 0; ; i++) {
                        Thread.sleep(200);
                        socket.getOutputStream().write(line[i % line.length]);
                        socket.getOutputStream().flush();
                    }
                } catch (IOException | InterruptedException closed) {
                    // the gateway closed the connection (or the test is over)
                }
            });
            answer = RawSockets.readUntilClosed(socket.getInputStream());
            trickler.interrupt();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        assertThat(answer).startsWith("HTTP/1.1 408").contains(TIMEOUT_TYPE);
        assertThat(elapsed).isBetween(TIMEOUT.minusMillis(100), CUT_OFF_WITHIN);
        assertThat(backend.received()).noneMatch(r -> "/echo/trickled".equals(r.get("path")));
    }

    @Test
    void aClientTricklingItsRequestLineIsCutOffToo() throws Exception {
        long started = System.nanoTime();
        String answer;
        try (Socket socket = RawSockets.open(gateway.port())) {
            Thread trickler = Thread.ofVirtual().start(() -> {
                byte[] line = ("GET /echo/" + "a".repeat(200)).getBytes(StandardCharsets.US_ASCII);
                try {
                    for (byte b : line) {
                        socket.getOutputStream().write(b);
                        socket.getOutputStream().flush();
                        Thread.sleep(200);
                    }
                } catch (IOException | InterruptedException closed) {
                    // the gateway closed the connection (or the test is over)
                }
            });
            answer = RawSockets.readUntilClosed(socket.getInputStream());
            trickler.interrupt();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        assertThat(answer).startsWith("HTTP/1.1 408").contains(TIMEOUT_TYPE);
        assertThat(elapsed).isBetween(TIMEOUT.minusMillis(100), CUT_OFF_WITHIN);
    }

    @Test
    void aConnectionThatSendsNothingIsClosedTooAfterTheTimeout() throws IOException {
        long started = System.nanoTime();
        String answer;
        try (Socket socket = RawSockets.open(gateway.port())) {
            answer = RawSockets.readUntilClosed(socket.getInputStream());
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        // like nginx: for a connection's first request the clock starts when the connection is accepted
        assertThat(answer).startsWith("HTTP/1.1 408").contains(TIMEOUT_TYPE);
        assertThat(elapsed).isBetween(TIMEOUT.minusMillis(100), CUT_OFF_WITHIN);
    }

    @Test
    void theNextRequestOnANewConnectionIsServedAfterACutOff() throws IOException {
        try (Socket socket = RawSockets.open(gateway.port())) {
            RawSockets.write(socket, "GET /echo/abandoned HTTP/1.1\r\nHost: gw\r\n");
            assertThat(RawSockets.readUntilClosed(socket.getInputStream())).startsWith("HTTP/1.1 408");
        }

        assertThat(RawSockets.exchange(gateway.port(), "GET /echo/after-cut-off HTTP/1.1\r\nHost: gw\r\n\r\n")).startsWith("HTTP/1.1 200");
        assertThat(backend.received()).anyMatch(r -> "/echo/after-cut-off".equals(r.get("path")));
        assertThat(backend.received()).noneMatch(r -> "/echo/abandoned".equals(r.get("path")));
    }

    @Test
    void aKeepAliveConnectionMayIdleBetweenRequestsLongerThanTheHeaderTimeout() throws Exception {
        try (Socket socket = RawSockets.open(gateway.port())) {
            RawSockets.write(socket, "GET /echo/first HTTP/1.1\r\nHost: gw\r\n\r\n");
            assertThat(RawSockets.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200");

            // idle: the header clock stands still until the next request's first byte (idle-connection-timeout
            // is 30 s)
            Thread.sleep(TIMEOUT.multipliedBy(3));

            RawSockets.write(socket, "GET /echo/second HTTP/1.1\r\nHost: gw\r\n\r\n");
            assertThat(RawSockets.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200");
        }
        assertThat(backend.received()).anyMatch(r -> "/echo/second".equals(r.get("path")));
    }

    @Test
    void aStallInTheSecondRequestOfAKeepAliveConnectionIsCutOff() throws Exception {
        try (Socket socket = RawSockets.open(gateway.port())) {
            RawSockets.write(socket, "GET /echo/served HTTP/1.1\r\nHost: gw\r\n\r\n");
            assertThat(RawSockets.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200");
            Thread.sleep(TIMEOUT.multipliedBy(2));

            long started = System.nanoTime();
            RawSockets.write(socket, "GET /echo/stalled-second HTTP/1.1\r\nHost: gw\r\nX-Partial: ab");
            String answer = RawSockets.readUntilClosed(socket.getInputStream());
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

            assertThat(answer).startsWith("HTTP/1.1 408").contains(TIMEOUT_TYPE);
            assertThat(elapsed).isBetween(TIMEOUT.minusMillis(100), CUT_OFF_WITHIN);
        }
        assertThat(backend.received()).noneMatch(r -> "/echo/stalled-second".equals(r.get("path")));
    }

    @Test
    void aSlowClientThatFinishesItsHeadersInTimeIsServed() throws Exception {
        String answer;
        try (Socket socket = RawSockets.open(gateway.port())) {
            // four pieces 150 ms apart: 450 ms for the head, within the 1 s timeout
            String[] pieces = {"GET /echo/sl", "ow HTTP/1.1\r\nHo", "st: gw\r\nX-Slow: y", "es\r\n\r\n"};
            for (String piece : pieces) {
                RawSockets.write(socket, piece);
                Thread.sleep(150);
            }
            answer = RawSockets.readResponse(socket.getInputStream());
        }

        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(backend.received()).anyMatch(r -> "/echo/slow".equals(r.get("path")));
    }

    @Test
    void aSlowBodyIsNotTheHeaderTimeoutsBusiness() throws Exception {
        String answer;
        try (Socket socket = RawSockets.open(gateway.port())) {
            RawSockets.write(socket, "POST /echo/slow-body HTTP/1.1\r\nHost: gw\r\nContent-Length: 5\r\n\r\n");
            // the body takes 2.5 x the header timeout, each piece well within the 20 s body-read-timeout
            for (char c : "hello".toCharArray()) {
                Thread.sleep(500);
                RawSockets.write(socket, String.valueOf(c));
            }
            answer = RawSockets.readResponse(socket.getInputStream());
        }

        assertThat(answer).startsWith("HTTP/1.1 200").contains("\"bodyLength\":5");
    }

    private static double cutOffs() {
        return metric(scrape(gateway), METRIC, Map.of()).orElse(0);
    }
}
