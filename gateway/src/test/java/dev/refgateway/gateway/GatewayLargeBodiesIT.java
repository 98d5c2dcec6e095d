package dev.refgateway.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.gateway.testing.Backend;
import dev.refgateway.gateway.testing.DeterministicBytes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies far larger than the gateway's heap pass through byte-identical: the gateway runs as its own JVM with
 * {@code -Xmx256m}, so buffering a 100 MB body whole would fail with OutOfMemoryError.
 */
class GatewayLargeBodiesIT {

    private static final long SIZE = 100L * 1024 * 1024;
    private static final String SERVICE = "svc-large-bodies";

    private static Backend backend;
    private static Process gateway;
    private static Path gatewayLog;
    private static int port;

    @BeforeAll
    static void startGatewayWithSmallHeap() throws Exception {
        ConsulAgent agent = ConsulAgent.shared();
        backend = Backend.start(SERVICE, agent.client());
        port = freePort();
        gatewayLog = Files.createTempFile("gateway-large-bodies", ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                // System properties override application.yaml: route 0 becomes a catch-all to the test's service.
                "-Dserver.port=" + port,
                "-Dserver.host=127.0.0.1",
                "-Dadmin.port=0",
                "-Dconsul.url=" + agent.url(),
                "-Dgateway.routes.0.id=all",
                "-Dgateway.routes.0.path=/**",
                "-Dgateway.routes.0.service=" + SERVICE,
                // The default max-payload-size (10 MiB) suits APIs; this gateway is configured for big uploads.
                "-Dserver.max-payload-size=" + (2 * SIZE),
                "-cp", System.getProperty("java.class.path"),
                "dev.refgateway.gateway.Main"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(gatewayLog.toFile());
        gateway = builder.start();
        awaitRouting();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.destroy();
            gateway.waitFor(10, TimeUnit.SECONDS);
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void a100MegabyteUploadArrivesByteIdentical() throws Exception {
        HttpURLConnection connection = open("/upload", "POST");
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(SIZE);
        try (OutputStream out = connection.getOutputStream(); InputStream body = DeterministicBytes.stream(SIZE)) {
            body.transferTo(out);
        }

        assertThat(connection.getResponseCode()).as(log()).isEqualTo(200);
        JsonNode answer = new ObjectMapper().readTree(connection.getInputStream());
        assertThat(answer.get("length").asLong()).isEqualTo(SIZE);
        assertThat(answer.get("sha256").asText()).isEqualTo(DeterministicBytes.sha256(SIZE));
    }

    @Test
    void a100MegabyteChunkedUploadArrivesByteIdentical() throws Exception {
        HttpURLConnection connection = open("/upload", "POST");
        connection.setDoOutput(true);
        connection.setChunkedStreamingMode(64 * 1024);
        try (OutputStream out = connection.getOutputStream(); InputStream body = DeterministicBytes.stream(SIZE)) {
            body.transferTo(out);
        }

        assertThat(connection.getResponseCode()).as(log()).isEqualTo(200);
        JsonNode answer = new ObjectMapper().readTree(connection.getInputStream());
        assertThat(answer.get("length").asLong()).isEqualTo(SIZE);
        assertThat(answer.get("sha256").asText()).isEqualTo(DeterministicBytes.sha256(SIZE));
    }

    @Test
    void a100MegabyteDownloadArrivesByteIdentical() throws Exception {
        HttpURLConnection connection = open("/download?bytes=" + SIZE, "GET");

        assertThat(connection.getResponseCode()).as(log()).isEqualTo(200);
        long[] length = new long[1];
        String sha;
        try (InputStream in = connection.getInputStream()) {
            sha = DeterministicBytes.sha256(in, length);
        }
        assertThat(length[0]).isEqualTo(SIZE);
        assertThat(sha).isEqualTo(DeterministicBytes.sha256(SIZE));
        assertThat(gateway.isAlive()).as("the gateway survived with a 256 MB heap").isTrue();
    }

    private static HttpURLConnection open(String path, String method) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
                .openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(60_000);
        return connection;
    }

    private static void awaitRouting() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!gateway.isAlive()) {
                throw new IllegalStateException("The gateway exited: " + log());
            }
            try {
                HttpURLConnection c = open("/download?bytes=1", "GET");
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("The gateway did not route within 30 s: " + log());
    }

    private static String log() {
        try {
            return Files.readString(gatewayLog);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
