package dev.refgateway.orders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.discovery.watch.HealthyInstancesWatch;

import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kiwiproject.consul.Consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * How the user lookup behaves when user-service instances fail in each way it retries on: every scenario uses its
 * own service name, so the scenarios do not see each other's instances.
 */
class ConsulUserDirectoryIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final AtomicInteger SCENARIO = new AtomicInteger();

    private static Consul consul;
    private final List<String> hits = Collections.synchronizedList(new ArrayList<>());
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeAll
    static void connect() {
        consul = ConsulAgent.shared().client();
    }

    @AfterAll
    static void disconnect() {
        consul.destroy();
    }

    @AfterEach
    void release() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    @Test
    void instanceAnswering5xxIsSteppedOverToTheOther() {
        String service = scenario();
        fake(service, "broken", (req, res) -> res.status(Status.INTERNAL_SERVER_ERROR_500).send("boom"));
        fake(service, "healthy", FakeUserService.knowsOnlyUserOne());
        UserDirectory users = directory(service, 2);

        for (int i = 0; i < 4; i++) {
            assertThat(users.exists(1)).isTrue();
        }
        assertThat(hits).filteredOn("healthy"::equals).hasSize(4);
    }

    @Test
    void registeredInstanceThatRefusesConnectionsIsSteppedOver() throws IOException {
        String service = scenario();
        fake(service, "healthy", FakeUserService.knowsOnlyUserOne());
        registerWithoutCheck(service, "gone", closedPort());
        UserDirectory users = directory(service, 2);

        for (int i = 0; i < 4; i++) {
            assertThat(users.exists(1)).isTrue();
            assertThat(users.exists(2)).isFalse();
        }
    }

    @Test
    void slowInstanceGetsHalfTheBudgetAndTheOtherAnswersInTime() {
        String service = scenario();
        fake(service, "slow", (req, res) -> {
            sleep(Duration.ofSeconds(5));
            res.send("too late");
        });
        fake(service, "healthy", FakeUserService.knowsOnlyUserOne());
        UserDirectory users = directory(service, 2);

        for (int i = 0; i < 2; i++) {
            long started = System.nanoTime();
            assertThat(users.exists(1)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.plusMillis(500));
        }
    }

    @Test
    void whenEveryInstanceFailsTheLookupIsUnavailableAfterTryingTwo() {
        String service = scenario();
        Handler broken = (req, res) -> res.status(Status.SERVICE_UNAVAILABLE_503).send();
        fake(service, "broken-1", broken);
        fake(service, "broken-2", broken);
        fake(service, "broken-3", broken);
        UserDirectory users = directory(service, 3);

        assertThatThrownBy(() -> users.exists(1))
                .isInstanceOf(UserDirectoryUnavailableException.class)
                .hasMessage(service + " unavailable: status 503 (2 instances tried)");
        assertThat(hits).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void withoutPassingInstanceTheLookupIsUnavailableAtOnce() {
        String service = scenario();
        UserDirectory users = directory(service, 0);

        long started = System.nanoTime();
        assertThatThrownBy(() -> users.exists(1))
                .isInstanceOf(UserDirectoryUnavailableException.class)
                .hasMessage(service + " unavailable: no passing instance");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    }

    private static String scenario() {
        return "users-scenario-" + SCENARIO.incrementAndGet();
    }

    private void fake(String service, String id, Handler users) {
        resources.add(FakeUserService.start(consul, service, id, hits, users));
    }

    /**
     * A passing instance (Consul reports an instance without checks as passing) on a port where nothing listens.
     * Registered through Consul's HTTP API: the client library's generated builders warn at compile time.
     */
    private void registerWithoutCheck(String service, String id, int port) {
        agent("/v1/agent/service/register", """
                {"ID": "%s", "Name": "%s", "Address": "127.0.0.1", "Port": %d, "Meta": {"version": "1.0.0"}}"""
                .formatted(id, service, port));
        resources.add(() -> agent("/v1/agent/service/deregister/" + id, ""));
    }

    private static void agent(String path, String json) {
        try (HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(ConsulAgent.shared().url().resolve(path))
                            .PUT(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("PUT %s: %s", path, response.body()).isEqualTo(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A directory whose watch already sees {@code instances} passing instances. */
    private UserDirectory directory(String service, int instances) {
        try (HealthyInstancesWatch watch = HealthyInstancesWatch.start(consul, service)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> watch.snapshot().size() == instances);
        }
        ConsulUserDirectory users = ConsulUserDirectory.start(
                consul, new UserDirectorySettings(service, TIMEOUT, Duration.ofMillis(500)));
        resources.add(users);
        return users;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
