package dev.refgateway.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.HeaderNames;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;

/**
 * The training run of JDK 25's AOT cache ({@code -XX:AOTCacheOutput}, JEPs 483, 514 and 515): started by
 * {@code scripts/train-aot.sh} in {@code make build} and by the gateway image's build, never in production.
 * <p>
 * It starts the gateway with its built-in configuration and two routes — one to a small backend started here (a
 * Helidon server on a free port), one to a Consul service, so that the Consul client's classes are in the cache too
 * (Consul is not there: its watch fails quietly until the end) — sends the requests a gateway sees on every day
 * (GETs, a POST with a body, an unknown path, a malformed request, the admin API, health and metrics), then stops
 * it. The JVM writes the cache on exit: the classes loaded and linked here, and the profiles of the methods that ran,
 * are then ready from the first request of a real start ({@code -XX:AOTCache}).
 */
public final class AotTraining {

    private static final int ROUNDS = 300;

    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        LogConfig.configureRuntime();
        WebServer backend = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(routing -> routing.any((request, response) -> {
                    request.content().consume();
                    response.header(HeaderNames.CONTENT_TYPE, "application/json")
                            .send("{\"id\":1,\"name\":\"training\"}".getBytes(StandardCharsets.US_ASCII));
                }))
                .build()
                .start();
        Gateway gateway = Gateway.start(configuration(backend.port()));
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            URI base = URI.create("http://127.0.0.1:" + gateway.port());
            URI admin = URI.create("http://127.0.0.1:" + gateway.adminPort());
            for (int i = 0; i < ROUNDS; i++) {
                send(client, HttpRequest.newBuilder(base.resolve("/training/users/" + i))
                        .header("Accept", "application/json").build());
                send(client, HttpRequest.newBuilder(base.resolve("/training/users"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"user " + i + "\"}")).build());
                if (i % 10 == 0) {
                    send(client, HttpRequest.newBuilder(base.resolve("/not-routed")).build());
                    send(client, HttpRequest.newBuilder(base.resolve("/training/users/%2e%2e/x")).build());
                    send(client, HttpRequest.newBuilder(base.resolve("/consul/x")).build());
                    send(client, HttpRequest.newBuilder(admin.resolve("/observe/health/ready")).build());
                    send(client, HttpRequest.newBuilder(admin.resolve("/observe/metrics")).build());
                    send(client, HttpRequest.newBuilder(admin.resolve("/admin/upstreams")).build());
                }
            }
        } finally {
            gateway.shutdown();
            backend.stop();
        }
        // The shutdown leaves the Consul watch's threads; the cache is written at the JVM's exit either way.
        System.exit(0);
    }

    private static void send(HttpClient client, HttpRequest request) throws Exception {
        client.send(request, HttpResponse.BodyHandlers.discarding());
    }

    /** The built-in configuration on free ports, with the training's two routes. */
    private static Config configuration(int backendPort) {
        return Gateway.configBuilder()
                .addSource(ConfigSources.create("""
                        server: {port: 0}
                        admin: {port: 0}
                        consul: {url: "http://127.0.0.1:1"}
                        gateway:
                          routes:
                            - {id: training, path: /training/**, service: training, strip-prefix: 1,
                               instances: ["127.0.0.1:%d"]}
                            - {id: consul, path: /consul/**, service: consul-service}
                        """.formatted(backendPort), MediaTypes.APPLICATION_YAML))
                .addSource(ConfigSources.classpath("application.yaml"))
                .build();
    }
}
