package dev.refgateway.orders;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.discovery.watch.HealthyInstancesWatch;
import dev.refgateway.support.RunningService;
import dev.refgateway.support.json.JsonBodies;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kiwiproject.consul.Consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real order-service, started as in production (own database, registered in Consul), finding two fake
 * user-service instances through a real Consul agent and talking to them over sockets.
 */
class OrderServiceIT {

    private static final String USER_SERVICE = "user-service";
    private static final Duration USERS_TIMEOUT = Duration.ofSeconds(2);

    private static final List<String> HITS = Collections.synchronizedList(new ArrayList<>());
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();

    private static Consul consul;
    private static FakeUserService usersA;
    private static FakeUserService usersB;
    private static RunningService orderService;
    private static URI base;

    @BeforeAll
    static void start() throws Exception {
        ConsulAgent agent = ConsulAgent.shared();
        consul = agent.client();
        usersA = FakeUserService.start(consul, USER_SERVICE, "user-service-a", HITS);
        usersB = FakeUserService.start(consul, USER_SERVICE, "user-service-b", HITS);
        awaitPassing(USER_SERVICE, 2);

        orderService = TestOrderService.start(agent.url(), "orders-it", Map.of(
                "users.service", USER_SERVICE,
                "users.timeout", USERS_TIMEOUT.toString()));
        base = URI.create("http://127.0.0.1:" + orderService.port());
    }

    @AfterAll
    static void stop() {
        if (orderService != null) {
            orderService.shutdown();
        }
        closeQuietly(usersA);
        closeQuietly(usersB);
        if (consul != null) {
            consul.destroy();
        }
    }

    @Test
    void ordersAreCheckedWithUserServiceInstancesInTurnRefusedWhenNoneIsLeftAndTheWatchStopsWithTheService() throws Exception {
        // order-service's own watch may lag the test's by a moment: wait until it has used both instances.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            HttpResponse<String> response = postOrder(1);
            assertThat(response.statusCode()).isIn(201, 503);
            assertThat(HITS).contains(usersA.id(), usersB.id());
        });
        HITS.clear();

        for (int i = 0; i < 4; i++) {
            HttpResponse<String> created = postOrder(1);
            JsonNode order = json(created);
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(created.headers().firstValue("Location")).contains("/orders/" + order.get("id").asLong());
            assertThat(order.get("total").asText()).isEqualTo("19.98");
        }
        assertThat(HITS).hasSize(4).containsOnly(usersA.id(), usersB.id());
        for (int i = 1; i < HITS.size(); i++) {
            assertThat(HITS.get(i)).as("call %d goes to the other instance: %s", i, HITS).isNotEqualTo(HITS.get(i - 1));
        }

        HttpResponse<String> unknownUser = postOrder(2);
        assertThat(unknownUser.statusCode()).isEqualTo(422);
        assertThat(unknownUser.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(json(unknownUser).get("detail").asText()).contains("userId: 2");

        usersA.close();
        usersB.close();
        long started = System.nanoTime();
        HttpResponse<String> unavailable = postOrder(1);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(json(unavailable).get("detail").asText()).startsWith("user-service unavailable: ");
        assertThat(took).isLessThan(Duration.ofSeconds(5));

        orderService.shutdown();
        await().atMost(Duration.ofSeconds(5)).until(() -> !watchThreadAlive(USER_SERVICE));
    }

    /** Whether a HealthyInstancesWatch of {@code service} still runs (the test's own watches are closed). */
    private static boolean watchThreadAlive(String service) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.isAlive() && thread.getName().equals("consul-watch-" + service));
    }

    private static HttpResponse<String> postOrder(long userId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/orders"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"userId\": " + userId + ", \"items\": [{\"sku\": \"A\", \"quantity\": 2, \"unitPrice\": 9.99}]}"))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JsonBodies.mapper().readTree(response.body());
    }

    static void awaitPassing(String service, int count) {
        try (HealthyInstancesWatch watch = HealthyInstancesWatch.start(consul, service)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> watch.snapshot().size() == count);
        }
    }

    private static void closeQuietly(FakeUserService service) {
        if (service != null) {
            try {
                service.close();
            } catch (RuntimeException e) {
                // already stopped by the test
            }
        }
    }
}
