package dev.refgateway.discovery.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.refgateway.discovery.ConsulSettings;

import org.kiwiproject.consul.Consul;

/**
 * A real Consul agent in dev mode on free loopback ports, for tests. Tests of one module share one agent
 * ({@link #shared()}); tests that stop Consul start their own ({@link #start()}).
 * <p>
 * The {@code consul} binary comes from {@code PATH} (or {@code CONSUL_BIN}); the build installs it when missing
 * (scripts/install-consul.sh).
 */
public final class ConsulAgent implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static ConsulAgent shared;

    private final int[] ports;
    private final Path logFile;
    private Process process;

    private ConsulAgent(int[] ports, Path logFile) {
        this.ports = ports;
        this.logFile = logFile;
    }

    /** The agent shared by every test in this JVM; started on first use, stopped when the JVM exits. */
    public static synchronized ConsulAgent shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** Starts a new agent and waits until it has elected itself leader. */
    public static ConsulAgent start() {
        try {
            ConsulAgent agent = new ConsulAgent(freePorts(5), Files.createTempFile("consul-agent", ".log"));
            agent.startProcess();
            return agent;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + httpPort());
    }

    public int httpPort() {
        return ports[0];
    }

    public ConsulSettings settings() {
        return ConsulSettings.of(url());
    }

    /** A new client for this agent. */
    public Consul client() {
        return settings().newClient();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Kills the agent (an outage); {@link #restart()} brings it back on the same ports, empty (dev mode). */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Starts the agent again on the same ports. */
    public void restart() {
        stop();
        startProcess();
    }

    @Override
    public void close() {
        stop();
    }

    private void startProcess() {
        List<String> command = new ArrayList<>(List.of(
                binary(), "agent", "-dev",
                "-bind", "127.0.0.1", "-client", "127.0.0.1",
                "-http-port", String.valueOf(ports[0]),
                "-serf-lan-port", String.valueOf(ports[1]),
                "-serf-wan-port", String.valueOf(ports[2]),
                "-server-port", String.valueOf(ports[3]),
                "-dns-port", "-1",
                "-grpc-port", "-1",
                "-log-level", "warn"));
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start consul (" + command.getFirst() + "). Install it with "
                                                    + "scripts/install-consul.sh or put it on PATH.", e);
        }
        awaitLeader();
    }

    private void awaitLeader() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest leader = HttpRequest.newBuilder(url().resolve("/v1/status/leader"))
                .timeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("consul exited with " + process.exitValue() + "; log: " + log());
            }
            try {
                // Before election Consul answers 200 with "" — wait for an address.
                String body = http.send(leader, HttpResponse.BodyHandlers.ofString()).body();
                if (body.contains(":")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        throw new IllegalStateException("consul did not elect a leader within " + START_TIMEOUT + "; log: " + log());
    }

    private String log() {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static String binary() {
        String configured = System.getenv("CONSUL_BIN");
        return configured == null || configured.isBlank() ? "consul" : configured;
    }

    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
