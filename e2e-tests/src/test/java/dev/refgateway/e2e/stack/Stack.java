package dev.refgateway.e2e.stack;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentSkipListSet;

import dev.refgateway.e2e.client.AdminApi;
import dev.refgateway.e2e.client.ApiClient;
import dev.refgateway.e2e.client.Reply;

import com.github.dockerjava.api.model.HealthCheck;
import org.awaitility.core.ConditionTimeoutException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import static org.awaitility.Awaitility.await;

/**
 * The stack of deploy/compose/docker-compose.yml on a Testcontainers {@link Network}: Consul (dev agent), PostgreSQL
 * with one database per service, {@code user-service-1/2}, {@code order-service-1/2} and the gateway, with the same
 * environment, heaps, memory limits and health checks. Only the gateway publishes ports (client and admin, on random
 * host ports); everything else is reachable inside the network only, as in compose.
 * <p>
 * {@link #start()} returns once every instance passes in Consul and has answered a request through the gateway.
 * Ryuk may be off (offline machines): {@link #close()} removes every container and the network itself, and every
 * container and the network carry the label {@value #RUN_LABEL} so that scripts/run-e2e.sh can remove leftovers.
 */
public final class Stack implements AutoCloseable {

    public static final String USER_SERVICE = "user-service";
    public static final String ORDER_SERVICE = "order-service";
    public static final String CONSUL = "consul";
    public static final String POSTGRES = "postgres";
    public static final String GATEWAY = "gateway";
    /** Label (value: {@code e2e.run-id}) on every container and the network of a run, for label-based clean-up. */
    public static final String RUN_LABEL = "dev.refgateway.e2e.run";

    private static final int USER_SERVICE_PORT = 8081;
    private static final int ORDER_SERVICE_PORT = 8083;
    private static final int GATEWAY_PORT = 8080;
    private static final int ADMIN_PORT = 8090;
    private static final long MIB = 1024 * 1024;
    // The values of docker-compose.yml (heaps, limits, passwords are its development defaults).
    private static final String SERVICE_JAVA_OPTS =
            "-Xms32m -Xmx128m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -XX:TieredStopAtLevel=1";
    private static final String GATEWAY_JAVA_OPTS = "@/app/jvm.options";
    private static final Map<String, String> DB_PASSWORDS = Map.of("users", "users-dev-only",
                                                                   "orders", "orders-dev-only");
    /** Four JVMs start at once on two cores: 20-30 s here; generous for a busy CI machine. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    static final int STOP_GRACE_SECONDS = 20;

    private final Network network;
    private final String runId;
    private final GatewayConfig gatewayConfig;
    /** In start order; closed in reverse. */
    private final Map<String, GenericContainer<?>> containers = new LinkedHashMap<>();
    private final GenericContainer<?> gateway;
    private ApiClient gatewayClient;
    private AdminApi adminApi;

    private Stack(StackImages images, Path initDatabasesScript, String runId) {
        this.runId = runId;
        this.gatewayConfig = GatewayConfig.generate();
        this.network = Network.builder()
                .createNetworkCmdModifier(cmd -> cmd.withLabels(Map.of(RUN_LABEL, runId)))
                .build();

        GenericContainer<?> consul = container(CONSUL, images.consul(), 192,
                                               pace(Duration.ofSeconds(1), 30)
                                                       // Answers only once a leader exists.
                                                       .withTest(List.of("CMD", "consul", "catalog", "services")))
                .withCommand("agent", "-dev", "-client", "0.0.0.0", "-log-level", "warn");

        GenericContainer<?> postgres = container(POSTGRES, images.postgres(), 256,
                                                 pace(Duration.ofSeconds(1), 60)
                                                         // TCP answers only after the init scripts ran.
                                                         .withTest(List.of("CMD", "pg_isready", "-h", "127.0.0.1",
                                                                           "-U", "postgres", "-d", "postgres")))
                .withEnv("POSTGRES_PASSWORD", "postgres-dev-only")
                .withEnv("SERVICE_DATABASES", String.join(" ", DB_PASSWORDS.keySet()))
                .withEnv("USERS_DB_PASSWORD", DB_PASSWORDS.get("users"))
                .withEnv("ORDERS_DB_PASSWORD", DB_PASSWORDS.get("orders"))
                // Copied, not bind-mounted: works with a remote Docker engine too.
                .withCopyFileToContainer(MountableFile.forHostPath(initDatabasesScript, 0755),
                                         "/docker-entrypoint-initdb.d/10-init-databases.sh");

        List<GenericContainer<?>> instances = new ArrayList<>();
        for (int n = 1; n <= 2; n++) {
            instances.add(instance(USER_SERVICE, n, images.userService(), USER_SERVICE_PORT, "users")
                                  .dependsOn(consul, postgres));
        }
        for (int n = 1; n <= 2; n++) {
            instances.add(instance(ORDER_SERVICE, n, images.orderService(), ORDER_SERVICE_PORT, "orders")
                                  .dependsOn(consul, postgres));
        }

        this.gateway = container(GATEWAY, images.gateway(), 384, pace(Duration.ofSeconds(2), 3))
                .withExposedPorts(GATEWAY_PORT, ADMIN_PORT)
                .withEnv("SERVER_PORT", String.valueOf(GATEWAY_PORT))
                .withEnv("ADMIN_PORT", String.valueOf(ADMIN_PORT))
                // the admin socket listens on 127.0.0.1 unless told otherwise; the tests reach it from outside
                .withEnv("ADMIN_HOST", "0.0.0.0")
                .withEnv("CONSUL_URL", "http://consul:8500")
                .withEnv("JDK_JAVA_OPTIONS", GATEWAY_JAVA_OPTS)
                // The image's working directory: Helidon reads ./application.yaml over the built-in one.
                .withCopyToContainer(Transferable.of(gatewayConfig.yaml()), "/app/application.yaml")
                // Started last, so that its first requests find every instance passing in Consul.
                .dependsOn(instances.toArray(GenericContainer[]::new));
    }

    /**
     * A stack of these images, not started yet.
     *
     * @param composeDir deploy/compose of this repository (for postgres/init-databases.sh)
     * @param runId      the value of {@value #RUN_LABEL} on everything this stack creates
     */
    public static Stack create(StackImages images, Path composeDir, String runId) {
        Path script = composeDir.resolve("postgres/init-databases.sh");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException(script + " not found (system property e2e.compose.dir: the repository's "
                                                    + "deploy/compose directory)");
        }
        return new Stack(images, script, runId);
    }

    /** Starts everything in compose's order and waits until every instance serves through the gateway. */
    public void start() {
        try {
            Startables.deepStart(List.of(gateway)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        gatewayClient = ApiClient.of(URI.create("http://" + gateway.getHost() + ":" + gateway.getMappedPort(GATEWAY_PORT)));
        adminApi = new AdminApi(ApiClient.of(URI.create("http://" + gateway.getHost() + ":"
                                                                + gateway.getMappedPort(ADMIN_PORT))));
        awaitEveryInstanceServing(START_TIMEOUT);
    }

    /** The gateway's client port: the only way the tests talk to the services. */
    public ApiClient gateway() {
        return gatewayClient;
    }

    /** The gateway's admin port: {@code /admin/upstreams}, {@code /observe/metrics}. */
    public AdminApi admin() {
        return adminApi;
    }

    public GatewayConfig gatewayConfig() {
        return gatewayConfig;
    }

    public String runId() {
        return runId;
    }

    /** A container by its name in compose: consul, postgres, user-service-1, ..., gateway. */
    public GenericContainer<?> container(String name) {
        GenericContainer<?> container = containers.get(name);
        if (container == null) {
            throw new IllegalArgumentException("container: \"" + name + "\" (expected: one of " + containers.keySet()
                                                       + ")");
        }
        return container;
    }

    /** Every container by name, in start order. */
    public Map<String, GenericContainer<?>> containers() {
        return Collections.unmodifiableMap(containers);
    }

    /** The instance names of a service: user-service-1, user-service-2. */
    public static List<String> instancesOf(String service) {
        return List.of(service + "-1", service + "-2");
    }

    /** Waits until both instances of both services answer through the gateway. */
    public void awaitEveryInstanceServing(Duration timeout) {
        awaitServedBy(USER_SERVICE, Set.copyOf(instancesOf(USER_SERVICE)), timeout);
        awaitServedBy(ORDER_SERVICE, Set.copyOf(instancesOf(ORDER_SERVICE)), timeout);
    }

    /**
     * Sends cheap GETs for the service through the gateway until every named instance has answered one (its
     * {@code X-Instance-Id}); a restarted instance counts only once the gateway really routes to it again.
     */
    public void awaitServedBy(String service, Set<String> instanceIds, Duration timeout) {
        String path = USER_SERVICE.equals(service) ? "/users?limit=1" : "/orders?limit=1";
        Set<String> seen = new ConcurrentSkipListSet<>();
        try {
            await().atMost(timeout)
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> {
                        Reply reply = gatewayClient.get(path);
                        if (reply.status() == 200) {
                            seen.add(reply.instanceId());
                        }
                        return seen.containsAll(instanceIds);
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(service + ": instances " + instanceIds + " did not all answer through the "
                                             + "gateway within " + timeout.toSeconds() + " s (answered: " + seen
                                             + "); the gateway's view: " + adminApi.upstreamView(service), e);
        }
    }

    /** Removes every container, then the network; carries on past failures so that nothing is left behind. */
    @Override
    public void close() {
        List<GenericContainer<?>> reversed = new ArrayList<>(containers.values());
        Collections.reverse(reversed);
        RuntimeException failure = null;
        for (GenericContainer<?> container : reversed) {
            try {
                container.stop();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        try {
            network.close();
        } catch (RuntimeException e) {
            failure = e;
        }
        if (failure != null) {
            throw failure;
        }
    }

    private GenericContainer<?> instance(String service, int n, DockerImageName image, int port, String database) {
        String name = service + "-" + n;
        return container(name, image, 384, pace(Duration.ofSeconds(2), 3))
                .withEnv("CONSUL_URL", "http://consul:8500")
                .withEnv("INSTANCE_DRAIN_PERIOD", "PT2S")
                .withEnv("JDK_JAVA_OPTIONS", SERVICE_JAVA_OPTS)
                .withEnv("SERVER_PORT", String.valueOf(port))
                .withEnv("DB_URL", "jdbc:postgresql://postgres:5432/" + database)
                .withEnv("DB_USER", database)
                .withEnv("DB_PASSWORD", DB_PASSWORDS.get(database))
                // The name Consul's checks and the gateway use to reach this container, and its id in Consul.
                .withEnv("INSTANCE_HOST", name)
                .withEnv("INSTANCE_ID", name);
    }

    private GenericContainer<?> container(String name, DockerImageName image, long memoryMiB, HealthCheck health) {
        GenericContainer<?> container = new GenericContainer<>(image)
                .withNetwork(network)
                .withNetworkAliases(name)
                .withLabel(RUN_LABEL, runId)
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withHostName(name);
                    cmd.withHealthcheck(health);
                    cmd.withStopTimeout(STOP_GRACE_SECONDS);
                    cmd.getHostConfig().withMemory(memoryMiB * MIB);
                })
                .waitingFor(new HealthyOrExited(START_TIMEOUT));
        containers.put(name, container);
        return container;
    }

    /** Compose's health check pace; without a test the image's own HEALTHCHECK command is kept. */
    private static HealthCheck pace(Duration interval, int retries) {
        return new HealthCheck()
                .withInterval(interval.toNanos())
                .withTimeout(Duration.ofSeconds(3).toNanos())
                .withRetries(retries)
                .withStartPeriod(Duration.ofSeconds(60).toNanos());
    }
}
