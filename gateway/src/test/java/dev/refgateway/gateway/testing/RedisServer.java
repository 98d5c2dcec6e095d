package dev.refgateway.gateway.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} on a free port, for the shared rate-limit tests: no persistence ({@code --save ''
 * --appendonly no}), bound to 127.0.0.1, stopped by {@link #stop()} or at JVM exit.
 * <p>
 * When {@code redis-server} cannot be started, the test fails with instructions if {@code CI=true} (CI must never
 * skip these tests silently); elsewhere it is skipped with the same message (install it with
 * {@code scripts/install-redis.sh}).
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final int port;
    private final File log;
    private Process process;

    private RedisServer(int port) {
        this.port = port;
        this.log = new File(System.getProperty("java.io.tmpdir"), "refgateway-redis-" + port + ".log");
    }

    /** Starts a server on a free port and waits until it answers PING. */
    public static RedisServer start() {
        RedisServer server = new RedisServer(freePort());
        server.launch();
        return server;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public URI url() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    /** Stops the server (SIGTERM, then SIGKILL): what an outage looks like to the gateway. Idempotent. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /** Starts the server again on the same port, empty. */
    public synchronized void restart() {
        stop();
        launch();
    }

    /** Whether the server answers PING right now. */
    public boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] reply = new byte[7];
            InputStream in = socket.getInputStream();
            int read = in.readNBytes(reply, 0, reply.length);
            return new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void launch() {
        List<String> command = List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                                       "--save", "", "--appendonly", "no", "--dir",
                                       System.getProperty("java.io.tmpdir"));
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                    .start();
        } catch (IOException e) {
            unavailable("redis-server could not be started (" + e.getMessage() + ")");
            return;
        }
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!answers()) {
            if (!started.isAlive()) {
                process = null;
                unavailable("redis-server on port " + port + " exited with status " + started.exitValue()
                                    + " before answering (its output: " + log + ")");
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                stop();
                unavailable("redis-server on port " + port + " did not answer PING within " + START_TIMEOUT.toSeconds()
                                    + " s (its output: " + log + ")");
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for redis-server", e);
            }
        }
    }

    private static void unavailable(String why) {
        String message = why + ". The shared rate-limit tests need a real Redis: run scripts/install-redis.sh "
                + "(Debian: apt-get install -y redis-server) or put redis-server on PATH.";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + " CI=true: these tests must run, not be skipped.");
        }
        Assumptions.abort(message);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port", e);
        }
    }
}
