package dev.refgateway.discovery.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.refgateway.discovery.registration.HealthCheckSettings;
import dev.refgateway.discovery.registration.ServiceRegistration;

import io.helidon.http.Status;
import io.helidon.webserver.WebServer;

/**
 * A real HTTP server on a free loopback port whose readiness endpoint can be made to fail: a service instance
 * for tests of discovery. It answers {@code GET /observe/health/ready} with 200 or 503.
 */
public final class FakeInstance implements AutoCloseable {

    private final String service;
    private final AtomicBoolean healthy = new AtomicBoolean(true);
    private final WebServer server;

    private FakeInstance(String service) {
        this.service = service;
        this.server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                .routing(r -> r.get(HealthCheckSettings.DEFAULT_PATH,
                                    (req, res) -> res.status(healthy.get() ? Status.OK_200
                                                                            : Status.SERVICE_UNAVAILABLE_503)
                                            .send(healthy.get() ? "UP" : "DOWN")))
                .build()
                .start();
    }

    public static FakeInstance start(String service) {
        return new FakeInstance(service);
    }

    public int port() {
        return server.port();
    }

    public String id() {
        return ServiceRegistration.defaultInstanceId(service, "127.0.0.1", port());
    }

    public void healthy(boolean healthy) {
        this.healthy.set(healthy);
    }

    /** A registration of this instance with one-second checks. */
    public ServiceRegistration registration() {
        return new ServiceRegistration(service, id(), "127.0.0.1", port(), List.of("test"),
                                       Map.of("version", "1.2.3"), HealthCheckSettings.defaults());
    }

    @Override
    public void close() {
        server.stop();
    }
}
