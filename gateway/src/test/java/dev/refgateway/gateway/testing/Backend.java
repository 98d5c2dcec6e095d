package dev.refgateway.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.refgateway.discovery.Backoff;
import dev.refgateway.discovery.registration.ConsulRegistrar;
import dev.refgateway.discovery.registration.HealthCheckSettings;
import dev.refgateway.discovery.registration.ServiceRegistration;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.kiwiproject.consul.Consul;

/**
 * A real upstream instance for gateway tests: a Helidon server on a free port, registered in Consul with a one-second
 * health check, that records what reached it.
 * <ul>
 *     <li>{@code /echo/**} (any method) — JSON of what arrived: instance, method, raw path, raw query, headers, body
 *     length, the caller's port (the connection);</li>
 *     <li>{@code /status/{code}} — answers with that status (and no body for 204 and 304);</li>
 *     <li>{@code /slow?ms=N} — answers after N ms;</li>
 *     <li>{@code /flaky} (any method) — answers the status set with {@link #flakyStatus(int)}, 200 until then;</li>
 *     <li>{@code POST /upload} — reads the body as a stream, answers its length and SHA-256;</li>
 *     <li>{@code GET /download?bytes=N} — streams N deterministic bytes (chunked);</li>
 *     <li>{@code /own-cors} (any method) — answers with CORS headers of its own ({@code Access-Control-Allow-Origin:
 *     *}, credentials, {@code Access-Control-Expose-Headers: X-Backend-Secret}) and {@code Vary: Accept-Encoding}.</li>
 * </ul>
 */
public final class Backend implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String service;
    private final AtomicBoolean healthy = new AtomicBoolean(true);
    private final AtomicInteger hits = new AtomicInteger();
    private final AtomicInteger flakyStatus = new AtomicInteger(200);
    private final List<Map<String, Object>> received = new CopyOnWriteArrayList<>();
    private final WebServer server;
    private ConsulRegistrar registrar;

    private Backend(String service) {
        this.service = service;
        this.server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                .maxPayloadSize(-1)
                .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                .routing(r -> r
                        .get(HealthCheckSettings.DEFAULT_PATH, (req, res) -> res
                                .status(healthy.get() ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503).send())
                        .any("/echo/*", this::echo)
                        .any("/echo", this::echo)
                        .any("/status/{code}", this::status)
                        .any("/slow", this::slow)
                        .any("/flaky", this::flaky)
                        .post("/upload", this::upload)
                        .get("/download", this::download)
                        .any("/own-cors", this::ownCors))
                .build()
                .start();
    }

    /** Starts an instance of {@code service} and registers it in Consul. */
    public static Backend start(String service, Consul consul) {
        Backend backend = new Backend(service);
        backend.registrar = ConsulRegistrar.start(consul, backend.registration());
        return backend;
    }

    /**
     * Starts an instance registered in Consul and checked again only every {@code reconcileInterval}: one that does
     * not come back at once when a restarted agent forgot it.
     */
    public static Backend start(String service, Consul consul, Duration reconcileInterval) {
        Backend backend = new Backend(service);
        backend.registrar = ConsulRegistrar.start(consul, backend.registration(),
                                                  new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1)),
                                                  reconcileInterval);
        return backend;
    }

    /** Starts an instance registered nowhere: one a route lists in {@code instances}. */
    public static Backend unregistered(String service) {
        return new Backend(service);
    }

    /** Registers the instance in Consul (again), kept registered from now on. */
    public void register(Consul consul) {
        if (registrar != null) {
            registrar.deregister();
        }
        registrar = ConsulRegistrar.start(consul, registration());
    }

    public String id() {
        return ServiceRegistration.defaultInstanceId(service, "127.0.0.1", server.port());
    }

    public int port() {
        return server.port();
    }

    /** Requests that reached this instance (health checks excluded). */
    public int hits() {
        return hits.get();
    }

    /** What the echo endpoint received, oldest first. */
    public List<Map<String, Object>> received() {
        return received;
    }

    public void healthy(boolean healthy) {
        this.healthy.set(healthy);
    }

    /** Makes {@code /flaky} answer {@code status} from now on: one instance of a service failing, the others not. */
    public void flakyStatus(int status) {
        flakyStatus.set(status);
    }

    /** Removes the instance from Consul (a clean shutdown's first step); it keeps serving. */
    public void deregister() {
        if (registrar != null) {
            registrar.deregister();
        }
    }

    /** Stops serving without deregistering: what a crash looks like to Consul and the gateway. */
    public void crash() {
        deregister(); // stop the registrar's loop first, so it cannot re-register a dead instance
        server.stop();
    }

    /** Stops serving, keeping the Consul entry (it turns critical at the next check). */
    public void kill() {
        server.stop();
    }

    @Override
    public void close() {
        if (registrar != null) {
            registrar.deregister();
        }
        if (server.isRunning()) {
            server.stop();
        }
    }

    private ServiceRegistration registration() {
        return new ServiceRegistration(service, id(), "127.0.0.1", server.port(), List.of("test"),
                                       Map.of("version", "test"), HealthCheckSettings.defaults());
    }

    private void echo(ServerRequest req, ServerResponse res) throws IOException {
        hits.incrementAndGet();
        long bodyLength = 0;
        if (req.content().hasEntity()) {
            try (InputStream in = req.content().inputStream()) {
                bodyLength = in.transferTo(OutputStream.nullOutputStream());
            }
        }
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("instance", id());
        seen.put("method", req.prologue().method().text());
        seen.put("path", req.path().rawPath());
        seen.put("query", req.query().rawValue());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Header header : req.headers()) {
            headers.put(header.name().toLowerCase(), header.allValues());
        }
        seen.put("headers", headers);
        seen.put("bodyLength", bodyLength);
        // The gateway's side of the connection: the same port again means the gateway reused the connection.
        seen.put("peerPort", req.remotePeer().port());
        received.add(seen);
        res.header(HeaderNames.create("X-Instance-Id"), id());
        res.header(HeaderNames.create("X-Backend-Custom"), "kept");
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(JSON.writeValueAsBytes(seen));
    }

    private void status(ServerRequest req, ServerResponse res) {
        hits.incrementAndGet();
        int code = Integer.parseInt(req.path().pathParameters().get("code"));
        res.header(HeaderNames.create("X-Instance-Id"), id());
        if (code == 204 || code == 304) {
            // Helidon refuses (with a 500) to send a body with these, as HTTP forbids one.
            res.status(Status.create(code)).send();
            return;
        }
        res.status(Status.create(code)).send("status " + code + " from " + id());
    }

    private void flaky(ServerRequest req, ServerResponse res) {
        hits.incrementAndGet();
        int code = flakyStatus.get();
        res.header(HeaderNames.create("X-Instance-Id"), id());
        res.status(Status.create(code)).send("flaky " + code + " from " + id());
    }

    private void slow(ServerRequest req, ServerResponse res) throws InterruptedException {
        hits.incrementAndGet();
        long ms = req.query().first("ms").asLong().orElse(1_000L);
        Thread.sleep(Duration.ofMillis(ms));
        res.header(HeaderNames.create("X-Instance-Id"), id());
        res.send("slept " + ms + " ms");
    }

    private void upload(ServerRequest req, ServerResponse res) throws IOException, NoSuchAlgorithmException {
        hits.incrementAndGet();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long length = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = req.content().inputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
                length += n;
            }
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(JSON.writeValueAsBytes(Map.of("length", length, "sha256", HexFormat.of().formatHex(sha.digest()))));
    }

    private void ownCors(ServerRequest req, ServerResponse res) {
        hits.incrementAndGet();
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        res.header(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "X-Backend-Secret");
        res.header(HeaderNames.VARY, "Accept-Encoding");
        res.send("own cors from " + id());
    }

    private void download(ServerRequest req, ServerResponse res) throws IOException {
        hits.incrementAndGet();
        long bytes = req.query().first("bytes").asLong().orElse(1024L);
        try (OutputStream out = res.outputStream()) {
            DeterministicBytes.write(out, bytes);
        }
    }
}
