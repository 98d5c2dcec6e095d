package dev.refgateway.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.gateway.testing.RawSockets;
import dev.refgateway.gateway.testing.RecordingBackend;
import dev.refgateway.gateway.testing.TestGateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.refgateway.gateway.testing.GatewayMetricsText.metric;
import static dev.refgateway.gateway.testing.GatewayMetricsText.scrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Answers reach the client as the instance sends them. The proof is an order, not a time: the instance sends piece
 * n+1 only after the client has received piece n. A gateway that held anything back until the end would deadlock
 * here (the instance waits for the client, the client for the gateway) and the instance gives up, which the client
 * then sees.
 */
class GatewayStreamingIT {

    private static final String SERVICE = "svc-streaming";
    private static final int PIECES = 6;
    private static final BlockingQueue<Integer> RECEIVED_BY_CLIENT = new LinkedBlockingQueue<>();
    private static RecordingBackend backend;
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        ConsulAgent agent = ConsulAgent.shared();
        backend = RecordingBackend.start(SERVICE, agent.client(), RecordingBackend.ok());
        gateway = TestGateway.start(agent.url(), """
                  routes:
                    - id: events
                      path: /**
                      service: %s
                """.formatted(SERVICE));
        TestGateway.awaitInstances(gateway, SERVICE, 1);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"chunked", "event-stream", "until-close"})
    void eachPieceReachesTheClientBeforeTheInstanceSendsTheNext(String framing) throws Exception {
        RECEIVED_BY_CLIENT.clear();
        double streamed = metric(scrape(gateway), "gateway_requests_total",
                                 Map.of("route", "events", "status_class", "2xx", "outcome", "success")).orElse(0);
        backend.respondWith((request, out) -> {
            String contentType = framing.equals("event-stream") ? "text/event-stream" : "text/plain";
            String head = "HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\n"
                    + (framing.equals("until-close") ? "" : "Transfer-Encoding: chunked\r\n") + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            for (int n = 0; n < PIECES; n++) {
                if (n > 0) {
                    Integer acknowledged;
                    try {
                        acknowledged = RECEIVED_BY_CLIENT.poll(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    if (acknowledged == null || acknowledged != n - 1) {
                        piece(out, framing, "instance gave up waiting for the client to get piece " + (n - 1));
                        break;
                    }
                }
                piece(out, framing, "data: piece " + n + "\n\n");
            }
            if (!framing.equals("until-close")) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            return !framing.equals("until-close");
        });

        List<String> pieces = new ArrayList<>();
        try (Socket socket = RawSockets.open(gateway.port())) {
            RawSockets.write(socket, "GET /events HTTP/1.1\r\nHost: gw\r\nAccept: text/event-stream\r\n\r\n");
            InputStream in = socket.getInputStream();
            readHead(in);
            // the gateway re-chunks for the client (HTTP/1.1): read its chunks, acknowledge each event
            StringBuilder data = new StringBuilder();
            while (pieces.size() < PIECES) {
                String chunk = readChunk(in);
                if (chunk == null) {
                    break;
                }
                data.append(chunk);
                int end;
                while ((end = data.indexOf("\n\n")) >= 0) {
                    String event = data.substring(0, end);
                    data.delete(0, end + 2);
                    pieces.add(event);
                    RECEIVED_BY_CLIENT.add(pieces.size() - 1);
                }
                if (chunk.contains("gave up")) {
                    pieces.add(chunk);
                    break;
                }
            }
        }

        assertThat(pieces).containsExactly("data: piece 0", "data: piece 1", "data: piece 2", "data: piece 3",
                                           "data: piece 4", "data: piece 5");
        // a streamed answer is committed after the handler returns: it is still recorded with its status
        await().atMost(Duration.ofSeconds(5)).until(() -> metric(scrape(gateway), "gateway_requests_total",
                Map.of("route", "events", "status_class", "2xx", "outcome", "success")).orElse(0) >= streamed + 1);
        assertThat(metric(scrape(gateway), "gateway_requests_total", Map.of("route", "events", "status_class", "0xx"))
                           .orElse(0)).isZero();
    }

    private static void piece(java.io.OutputStream out, String framing, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        if (!framing.equals("until-close")) {
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write(bytes);
        if (!framing.equals("until-close")) {
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
    }

    private static void readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the head: " + head);
            }
            head.write(b);
        }
        assertThat(head.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200")
                .containsIgnoringCase("transfer-encoding: chunked");
    }

    /** One chunk's data; null at the last chunk or the end of the stream. */
    private static String readChunk(InputStream in) throws IOException {
        String sizeLine = readLine(in);
        if (sizeLine == null) {
            return null;
        }
        int size = Integer.parseInt(sizeLine.strip(), 16);
        if (size == 0) {
            return null;
        }
        String data = new String(in.readNBytes(size), StandardCharsets.ISO_8859_1);
        readLine(in);
        return data;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        return line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
    }
}
