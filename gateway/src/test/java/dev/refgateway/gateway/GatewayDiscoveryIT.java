package dev.refgateway.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.gateway.testing.Backend;
import dev.refgateway.gateway.testing.TestGateway;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Where instances come from: a list in the configuration (no Consul at all), and Consul's watch surviving Consul's
 * own restart — the last instances kept for the grace while the restarted agent lists none, then its verdict.
 */
class GatewayDiscoveryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Nothing listens there: a gateway that needs Consul would never become ready. */
    private static final URI NO_CONSUL = URI.create("http://127.0.0.1:1");

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : cleanup.reversed()) {
            closeable.close();
        }
    }

    @Test
    void aServiceWhoseInstancesAreListedIsServedRoundRobinWithoutConsul() throws Exception {
        Backend one = track(Backend.unregistered("listed"));
        Backend two = track(Backend.unregistered("listed"));
        Gateway gateway = track(TestGateway.start(NO_CONSUL, """
                  routes:
                    - id: listed
                      path: /echo/**
                      service: listed
                      instances: [127.0.0.1:%d, "127.0.0.1:%d"]
                """.formatted(one.port(), two.port())));
        Http1Client client = TestGateway.client(gateway);

        Set<String> served = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            try (Http1ClientResponse res = client.get("/echo/" + i).request()) {
                assertThat(res.status().code()).isEqualTo(200);
                served.add(res.headers().get(HeaderNames.create("X-Instance-Id")).get());
            }
        }

        assertThat(served).containsExactlyInAnyOrder(one.id(), two.id());
        assertThat(one.hits()).isEqualTo(2);
        assertThat(two.hits()).isEqualTo(2);
        Http1Client admin = WebClient.builder().baseUri("http://127.0.0.1:" + gateway.adminPort()).build()
                .client(Http1Client.PROTOCOL);
        try (Http1ClientResponse ready = admin.get("/observe/health/ready").request()) {
            assertThat(ready.status().code()).as("ready without Consul").isEqualTo(200);
        }
        JsonNode upstream = JSON.readTree(admin.get("/admin/upstreams").requestEntity(String.class))
                .get("upstreams").get(0);
        assertThat(upstream.get("source").asText()).isEqualTo("static");
        assertThat(upstream.get("instances")).hasSize(2);
    }

    @Test
    void whenConsulRestartsEmptyTheLastInstancesServeForTheGraceThenConsulsVerdictHolds() throws Exception {
        ConsulAgent agent = track(ConsulAgent.start());
        // registered once: re-registration would come only after an hour, so the restarted agent lists nothing
        Backend backend = track(Backend.start("restarted", agent.client(), Duration.ofHours(1)));
        Gateway gateway = track(TestGateway.start(agent.url(), """
                  discovery:
                    consul-restart-grace: 4s
                  routes:
                    - id: restarted
                      path: /echo/**
                      service: restarted
                """));
        TestGateway.awaitInstances(gateway, "restarted", 1);
        Http1Client client = TestGateway.client(gateway);

        agent.restart();
        assertThat(agent.client().healthClient().getHealthyServiceInstances("restarted").getResponse())
                .as("the restarted agent forgot the instance").isEmpty();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> gateway.upstreams().get("restarted").orElseThrow().inRestartGrace());
        try (Http1ClientResponse res = client.get("/echo/during-grace").request()) {
            assertThat(res.status().code()).as("served from the last known instance").isEqualTo(200);
        }
        assertThat(backend.hits()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> !gateway.upstreams().get("restarted").orElseThrow().inRestartGrace());
        try (Http1ClientResponse res = client.get("/echo/after-grace").request()) {
            assertThat(res.status().code()).as("Consul lists none and the grace is over").isEqualTo(503);
        }

        backend.register(agent.client());
        TestGateway.awaitInstances(gateway, "restarted", 1);
        try (Http1ClientResponse res = client.get("/echo/registered-again").request()) {
            assertThat(res.status().code()).isEqualTo(200);
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        cleanup.add(closeable);
        return closeable;
    }
}
