package dev.refgateway.users;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.support.RunningService;
import dev.refgateway.support.SampleService;
import dev.refgateway.users.JsonClient.Reply;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.model.health.ServiceHealth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two real instances of user-service (real sockets, one shared database, a real Consul agent), started exactly as
 * {@link Main} starts one, from the shipped {@code application.yaml}.
 */
class UserServiceIT {

    private static final String SHARED_DB = "jdbc:h2:mem:shared-it;DB_CLOSE_DELAY=-1";
    private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(20);

    private static ConsulAgent agent;
    private static Consul consul;
    private static RunningService first;
    private static RunningService second;

    @BeforeAll
    static void startTwoInstances() {
        agent = ConsulAgent.shared();
        consul = agent.client();
        first = startInstance();
        second = startInstance();
    }

    @AfterAll
    static void stopInstances() {
        if (first != null) {
            first.shutdown();
        }
        if (second != null) {
            second.shutdown();
        }
        if (consul != null) {
            consul.destroy();
        }
    }

    @Test
    void bothInstancesRegisterAndBecomePassing() {
        await().atMost(REGISTRATION_TIMEOUT)
                .untilAsserted(() -> assertThat(passingIds())
                        .contains(first.instanceId(), second.instanceId()));

        ServiceHealth registered = passing().stream()
                .filter(health -> health.getService().getId().equals(first.instanceId()))
                .findFirst()
                .orElseThrow();
        assertThat(registered.getService().getPort()).isEqualTo(first.port());
        assertThat(registered.getService().getAddress()).isEqualTo("127.0.0.1");
        assertThat(registered.getService().getTags()).contains("users");
        assertThat(registered.getService().getMeta()).containsEntry("version", "1.0.0");
    }

    @Test
    void userCreatedThroughOneInstanceIsReadThroughTheOther() {
        assertThat(first.instanceId()).isNotEqualTo(second.instanceId());

        Reply created = client(first).post("/users", "{\"name\":\"Grace Hopper\",\"email\":\"Grace@Navy.mil\"}");

        assertThat(created.status()).as(created::toString).isEqualTo(Status.CREATED_201);
        assertThat(created.header("X-Instance-Id")).isEqualTo(first.instanceId());

        Reply read = client(second).get(created.header("Location"));

        assertThat(read.status()).as(read::toString).isEqualTo(Status.OK_200);
        assertThat(read.header("X-Instance-Id")).isEqualTo(second.instanceId());
        assertThat(read.json()).isEqualTo(created.json());
        assertThat(read.json().path("email").asText()).isEqualTo("grace@navy.mil");
    }

    @Test
    void racingCreatesOfOneEmailThroughBothInstancesYieldOneUserAndConflicts() throws Exception {
        int attempts = 16;
        List<Reply> replies;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Reply>> futures = IntStream.range(0, attempts)
                    .mapToObj(i -> executor.submit(() -> client(i % 2 == 0 ? first : second)
                            .post("/users", "{\"name\":\"Racer " + i + "\",\"email\":\"RACE@example.com\"}")))
                    .toList();
            replies = futures.stream().map(UserServiceIT::join).toList();
        }

        assertThat(replies).filteredOn(reply -> reply.status() == Status.CREATED_201).hasSize(1);
        assertThat(replies).filteredOn(reply -> reply.status() != Status.CREATED_201)
                .hasSize(attempts - 1)
                .allSatisfy(reply -> {
                    assertThat(reply.status()).as(reply::toString).isEqualTo(Status.CONFLICT_409);
                    assertThat(reply.contentType()).isEqualTo("application/problem+json");
                    assertThat(reply.detail()).contains("race@example.com");
                });
    }

    @Test
    void shutdownRemovesTheInstanceFromConsulWithinOneSecond() throws Exception {
        RunningService leaving = startInstance();
        await().atMost(REGISTRATION_TIMEOUT).until(() -> passingIds().contains(leaving.instanceId()));

        // shutdown() drains after deregistering; deregistration must not wait for the drain.
        Thread shutdown = Thread.ofVirtual().start(leaving::shutdown);
        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !registeredIds().contains(leaving.instanceId()));
        shutdown.join(Duration.ofSeconds(15));

        assertThat(shutdown.isAlive()).as("shutdown still running").isFalse();
        assertThat(registeredIds()).contains(first.instanceId(), second.instanceId())
                .doesNotContain(leaving.instanceId());
    }

    private static RunningService startInstance() {
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                // Earlier sources win: these override the shipped application.yaml.
                .addSource(ConfigSources.create(Map.of(
                        "server.port", "0",
                        "server.host", "127.0.0.1",
                        "consul.url", agent.url().toString(),
                        "db.url", SHARED_DB,
                        "instance.drain.period", "PT0.5S")))
                .addSource(ConfigSources.classpath("application.yaml"))
                .build();
        return SampleService.start(Main.SERVICE_NAME, config, Main::routing);
    }

    private static JsonClient client(RunningService instance) {
        return new JsonClient(Http1Client.builder().baseUri("http://127.0.0.1:" + instance.port()).build());
    }

    private static List<ServiceHealth> passing() {
        return consul.healthClient().getHealthyServiceInstances(Main.SERVICE_NAME).getResponse();
    }

    private static List<String> passingIds() {
        return passing().stream().map(health -> health.getService().getId()).toList();
    }

    private static List<String> registeredIds() {
        return consul.healthClient().getAllServiceInstances(Main.SERVICE_NAME).getResponse().stream()
                .map(health -> health.getService().getId())
                .toList();
    }

    private static Reply join(Future<Reply> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
