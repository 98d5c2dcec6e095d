package dev.refgateway.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.refgateway.e2e.client.AdminApi;
import dev.refgateway.e2e.client.ApiClient;
import dev.refgateway.e2e.client.Reply;
import dev.refgateway.e2e.stack.Stack;
import dev.refgateway.e2e.stack.StackExtension;
import dev.refgateway.e2e.traffic.Outcome;
import dev.refgateway.e2e.traffic.TrafficLoop;
import dev.refgateway.e2e.traffic.TrafficLoop.Call;
import dev.refgateway.e2e.traffic.TrafficReport;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.containers.GenericContainer;

import static dev.refgateway.e2e.stack.ContainerControl.kill;
import static dev.refgateway.e2e.stack.ContainerControl.pause;
import static dev.refgateway.e2e.stack.ContainerControl.startAgain;
import static dev.refgateway.e2e.stack.ContainerControl.stopGracefully;
import static dev.refgateway.e2e.stack.ContainerControl.unpause;
import static dev.refgateway.e2e.stack.Stack.ORDER_SERVICE;
import static dev.refgateway.e2e.stack.Stack.USER_SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failures under continuous client traffic, and what clients see of them, through the gateway's port only. One
 * stack for the class: each test breaks something and repairs it before it ends, and every test starts by waiting
 * until all four instances serve through the gateway again ({@link #everyInstanceServes()}), so no test depends on
 * another having run, or passed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FailoverUnderTrafficIT {

    private static final String USER_1 = "user-service-1";
    private static final String USER_2 = "user-service-2";
    private static final String PROBLEMS = "https://refgateway.dev/problems/";
    /** A JVM restarting beside three others on two cores: 8-25 s here. */
    private static final Duration RESTART_TIMEOUT = Duration.ofMinutes(2);
    /** Long enough for Consul's 1 s checks, the gateway's watch and a few hundred requests. */
    private static final Duration OBSERVE = Duration.ofSeconds(6);

    @RegisterExtension
    static final StackExtension STACK = new StackExtension();

    private static long userId;
    private static long orderId;
    private Stack stack;
    private ApiClient gateway;

    @BeforeAll
    static void data() {
        ApiClient gateway = STACK.stack().gateway();
        userId = Fixtures.createUser(gateway);
        orderId = Fixtures.createOrder(gateway, userId);
    }

    @BeforeEach
    void everyInstanceServes() {
        stack = STACK.stack();
        gateway = stack.gateway();
        for (String name : List.of(Stack.CONSUL, USER_1, USER_2, ORDER_SERVICE + "-1", ORDER_SERVICE + "-2")) {
            GenericContainer<?> container = stack.container(name);
            // A previous test may have failed half-way: undo what it may have left.
            if (isPaused(container)) {
                unpause(container);
            }
            if (!isRunning(container)) {
                startAgain(container, RESTART_TIMEOUT);
            }
        }
        stack.awaitEveryInstanceServing(RESTART_TIMEOUT);
    }

    @Test
    @Order(1)
    void killingAUserServiceInstanceFailsNoGet() {
        try (TrafficLoop traffic = TrafficLoop.start(gateway, Call.get("/users/" + userId, 2))) {
            sleep(Duration.ofSeconds(2));
            Instant killed = Instant.now();
            kill(stack.container(USER_1));
            sleep(OBSERVE);
            Instant end = Instant.now();
            TrafficReport report = traffic.stop();

            assertThat(report.failures()).as(report.summary()).isEmpty();
            assertThat(report.count("GET")).as(report.summary()).isGreaterThan(50);
            // Requests that met the dead instance paid the connect timeout (1 s) before their retry; once Consul's
            // check noticed (about 2 s) and the gateway followed, nobody pays for the dead instance any more.
            assertThat(report.slowestMillisBetween(killed.plusSeconds(5), end)).as(report.summary())
                    .isLessThan(1000);
            System.out.printf("Kill: %d GETs, none failed; slowest %d ms around the kill, %d ms from 5 s after it%n",
                              report.count("GET"), report.slowestMillisBetween(killed, end),
                              report.slowestMillisBetween(killed.plusSeconds(5), end));
        }
    }

    @Test
    @Order(2)
    void stoppingAUserServiceInstanceGracefullyFailsNoGetAndNoPost() {
        try (TrafficLoop traffic = TrafficLoop.start(gateway,
                                                     Call.get("/users/" + userId, 2),
                                                     Call.post("/users", Fixtures::newUserJson, 1))) {
            sleep(Duration.ofSeconds(2));
            Instant stopping = Instant.now();
            // Returns once the JVM exited: deregistered, drained 2 s, requests in flight finished.
            stopGracefully(stack.container(USER_2));
            sleep(Duration.ofSeconds(3));
            TrafficReport report = traffic.stop();

            assertThat(report.failures()).as(report.summary()).isEmpty();
            assertThat(report.count("POST")).as(report.summary()).isGreaterThan(20);
            assertThat(report.instancesBetween(Instant.MIN, stopping)).as("both served before the stop")
                    .containsExactlyInAnyOrder(USER_1, USER_2);
            System.out.printf("Graceful stop: %d GETs and %d POSTs, none failed; slowest %d ms%n",
                              report.count("GET"), report.count("POST"),
                              report.slowestMillisBetween(Instant.MIN, Instant.now()));
        }
    }

    @Test
    @Order(3)
    void rollingRestartOfEveryInstanceFailsNoGet() {
        List<String> instances = List.of(USER_1, USER_2, ORDER_SERVICE + "-1", ORDER_SERVICE + "-2");
        try (TrafficLoop traffic = TrafficLoop.start(gateway,
                                                     Call.get("/users/" + userId, 1),
                                                     Call.get("/orders/" + orderId, 1))) {
            for (String instance : instances) {
                stopGracefully(stack.container(instance));
                Instant restarted = Instant.now();
                startAgain(stack.container(instance), RESTART_TIMEOUT);
                // Healthy in Docker is not enough: the next instance may go only once the gateway routes to this one.
                await("gateway routing to " + instance + " again").atMost(RESTART_TIMEOUT)
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> traffic.instancesSince(restarted).contains(instance));
            }
            TrafficReport report = traffic.stop();

            assertThat(report.failures()).as(report.summary()).isEmpty();
            assertThat(report.count("GET")).as(report.summary()).isGreaterThan(100);
            System.out.printf("Rolling restart of %d instances: %d GETs, none failed; slowest %d ms%n",
                              instances.size(), report.count("GET"),
                              report.slowestMillisBetween(Instant.MIN, Instant.now()));
        }
    }

    @Test
    @Order(4)
    void everyInstanceUnhealthyAnswersAFast503NoHealthyUpstream() {
        // Paused, both instances fail Consul's checks (1 s timeout) and leave its passing list. The README promises
        // 503 no-healthy-upstream + Retry-After for "no healthy instance" (502 upstream-unreachable is for instances
        // that pass in Consul yet refuse connections), answered without trying an instance, hence fast.
        pause(stack.container(USER_1));
        pause(stack.container(USER_2));
        try {
            AdminApi admin = stack.admin();
            await("Consul and the gateway noticing").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> admin.passingInConsul(USER_SERVICE) == 0);

            for (int i = 0; i < 10; i++) {
                Reply reply = gateway.get("/users/" + userId);
                assertThat(reply.status()).as("%s", reply).isEqualTo(503);
                assertThat(reply.contentType()).startsWith("application/problem+json");
                assertThat(reply.json().path("type").asText()).isEqualTo(PROBLEMS + "no-healthy-upstream");
                assertThat(reply.header("Retry-After")).as("%s", reply).isPresent();
                assertThat(reply.elapsed()).as("%s", reply).isLessThan(Duration.ofSeconds(1));
            }
            // The other service is not affected.
            assertThat(gateway.get("/orders/" + orderId).status()).isEqualTo(200);
        } finally {
            unpause(stack.container(USER_1));
            unpause(stack.container(USER_2));
        }
    }

    @Test
    @Order(5)
    void upstreamSlowerThanTheRouteTimeoutAnswers504() {
        // Route slow-users (gateway-e2e.yaml): timeout and per-try timeout 400 ms, one attempt. Paused instances
        // accept connections (the kernel does) but never answer. The request goes out at once, well before Consul's
        // check can time out (1 s) and take them out of the passing list.
        pause(stack.container(USER_1));
        pause(stack.container(USER_2));
        Reply reply;
        try {
            reply = gateway.get("/slow/users/" + userId);
        } finally {
            unpause(stack.container(USER_1));
            unpause(stack.container(USER_2));
        }

        assertThat(reply.status()).as("%s", reply).isEqualTo(504);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().path("type").asText()).isEqualTo(PROBLEMS + "upstream-timeout");
        assertThat(reply.elapsed()).as("%s", reply)
                .isGreaterThanOrEqualTo(Duration.ofMillis(380))
                .isLessThan(Duration.ofSeconds(3));
        // The same route answers normally once the instances do.
        await().atMost(RESTART_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> gateway.get("/slow/users/" + userId).status() == 200);
    }

    @Test
    @Order(6)
    void consulOutageKeepsTheLastKnownInstancesRoutedAndRoutingResumesAfterIt() {
        GenericContainer<?> consul = stack.container(Stack.CONSUL);
        AdminApi admin = stack.admin();
        try (TrafficLoop traffic = TrafficLoop.start(gateway, Call.get("/users/" + userId, 2))) {
            sleep(Duration.ofSeconds(1));
            stopGracefully(consul);
            Instant down = Instant.now();
            await("the gateway noticing Consul's outage").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> !consulReachable(admin));
            sleep(Duration.ofSeconds(6));
            Instant up = Instant.now();
            startAgain(consul, Duration.ofMinutes(1));
            // Until its watch asks the new agent, the gateway still routes on the old snapshot. The dev agent comes
            // back empty; the instances register again (their registrars check every 3 s) and pass their checks.
            await("the gateway seeing both instances in the restarted Consul").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> consulReachable(admin) && admin.passingInConsul(USER_SERVICE) == 2);
            Instant rediscovered = Instant.now();
            await("both user-service instances serving after Consul's restart").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> traffic.instancesSince(rediscovered).containsAll(Set.of(USER_1, USER_2)));
            Instant resumed = Instant.now();
            sleep(Duration.ofSeconds(2));
            TrafficReport report = traffic.stop();

            assertThat(report.failuresBetween(Instant.MIN, up)).as("while Consul was down: " + report.summary())
                    .isEmpty();
            assertThat(report.instancesBetween(down, up)).as("both last known instances kept serving")
                    .containsExactlyInAnyOrder(USER_1, USER_2);
            assertThat(report.failuresBetween(resumed, Instant.now())).as(report.summary()).isEmpty();
            // Between Consul's return and the re-registrations its passing list is empty, and the gateway follows
            // it: what clients may see then is the gateway's fast 503, nothing else.
            List<Outcome> restartWindow = report.failuresBetween(up, resumed);
            assertThat(restartWindow).allSatisfy(o -> {
                assertThat(o.status()).as("%s", o).isEqualTo(503);
                assertThat(o.detail()).contains("no-healthy-upstream");
            });
            System.out.printf("Consul restart: %d of %d GETs got 503 no-healthy-upstream while the instances "
                                      + "re-registered (%d ms from Consul's restart to both serving again)%n",
                              restartWindow.size(), report.count("GET"),
                              Duration.between(up, resumed).toMillis());
        }
    }

    private static boolean consulReachable(AdminApi admin) {
        return admin.upstream(USER_SERVICE).path("consulReachable").asBoolean(false);
    }

    private static boolean isRunning(GenericContainer<?> container) {
        return Boolean.TRUE.equals(container.getDockerClient().inspectContainerCmd(container.getContainerId()).exec()
                                           .getState().getRunning());
    }

    private static boolean isPaused(GenericContainer<?> container) {
        return Boolean.TRUE.equals(container.getDockerClient().inspectContainerCmd(container.getContainerId()).exec()
                                           .getState().getPaused());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
