package dev.refgateway.orders;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.refgateway.discovery.registration.ConsulRegistrar;
import dev.refgateway.discovery.registration.HealthCheckSettings;
import dev.refgateway.discovery.registration.ServiceRegistration;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;

import org.kiwiproject.consul.Consul;

/**
 * One stand-in instance of user-service in this JVM: a WebServer on a free port, registered in Consul with an HTTP
 * health check. Every call of {@code GET /users/{id}} is recorded in {@code hits} with this instance's id.
 */
final class FakeUserService implements AutoCloseable {

    private static final HttpMediaType JSON = HttpMediaType.create("application/json");
    private static final HttpMediaType PROBLEM_JSON = HttpMediaType.create("application/problem+json");

    private final String id;
    private final WebServer server;
    private final ConsulRegistrar registrar;

    private FakeUserService(String id, WebServer server, ConsulRegistrar registrar) {
        this.id = id;
        this.server = server;
        this.registrar = registrar;
    }

    /** An instance that knows user 1 only, like a fresh user-service with one user. */
    static FakeUserService start(Consul consul, String service, String id, List<String> hits) {
        return start(consul, service, id, hits, knowsOnlyUserOne());
    }

    static FakeUserService start(Consul consul, String service, String id, List<String> hits, Handler users) {
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                .routing(routing -> routing
                        .get("/health", (req, res) -> res.send("ok"))
                        .get("/users/{id}", (req, res) -> {
                            hits.add(id);
                            res.header(HeaderNames.create("X-Instance-Id"), id);
                            users.handle(req, res);
                        }))
                .build()
                .start();
        ServiceRegistration registration = new ServiceRegistration(
                service, id, "127.0.0.1", server.port(), List.of("users"), Map.of("version", "1.0.0"),
                new HealthCheckSettings("/health", Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(1)));
        return new FakeUserService(id, server, ConsulRegistrar.start(consul, registration));
    }

    static Handler knowsOnlyUserOne() {
        return (req, res) -> {
            if ("1".equals(req.path().pathParameters().get("id"))) {
                res.headers().contentType(JSON);
                res.send("{\"id\":1,\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\"}");
                return;
            }
            res.status(Status.NOT_FOUND_404);
            res.headers().contentType(PROBLEM_JSON);
            res.send("{\"type\":\"https://refgateway.dev/problems/not-found\",\"title\":\"Not found\","
                             + "\"status\":404,\"detail\":\"user not found\"}");
        };
    }

    String id() {
        return id;
    }

    /** Deregisters from Consul, then stops serving: a clean shutdown. */
    @Override
    public void close() {
        registrar.deregister();
        server.stop();
    }
}
