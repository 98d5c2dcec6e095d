package dev.refgateway.support;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import dev.refgateway.discovery.ConsulSettings;
import dev.refgateway.discovery.registration.ConsulRegistrar;
import dev.refgateway.discovery.registration.ServiceRegistration;
import dev.refgateway.support.db.Database;
import dev.refgateway.support.problem.ProblemErrorHandler;

import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.grpc.GrpcRouting;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import org.kiwiproject.consul.Consul;

/**
 * Starts a sample service instance the way every instance should run behind a gateway:
 * <ol>
 *     <li>open and migrate its own database;</li>
 *     <li>serve its routes, {@code /observe/health} (ready only while the database answers and the instance is not
 *     shutting down) and {@code /observe/metrics}, with {@code X-Instance-Id} on every response;</li>
 *     <li>register in Consul with an HTTP check on its readiness endpoint (retrying until Consul answers, without
 *     holding the server back); a service with a gRPC API serves it on a port of its own, registered apart
 *     ({@code <service>-grpc}, checked through gRPC's health service);</li>
 *     <li>on SIGTERM: deregister first, keep serving for the drain period, wait for requests in flight, then stop.</li>
 * </ol>
 */
public final class SampleService {

    private static final Logger LOG = System.getLogger(SampleService.class.getName());
    private static final String TEST_INSTANCE_ID = "test-instance";
    /** The name of the gRPC listener. */
    public static final String GRPC_SOCKET = "grpc";
    /** Appended to the service's name (and instance id) for its gRPC API's registration in Consul. */
    public static final String GRPC_SUFFIX = "-grpc";

    private SampleService() {
    }

    /** Starts the service; returns once it is serving. A JVM shutdown hook runs {@link RunningService#shutdown()}. */
    public static RunningService start(String serviceName, Config config, Routes routes) {
        return start(serviceName, config, routes, null);
    }

    /**
     * Starts the service with a gRPC API as well, on the port {@code grpc.port} (0: any free one), registered in
     * Consul as {@code <serviceName>-grpc} with a gRPC health check that passes when the HTTP readiness check would.
     */
    public static RunningService start(String serviceName, Config config, Routes routes, GrpcApi grpcApi) {
        InstanceSettings instance = InstanceSettings.create(config.get("instance"));
        ConsulSettings consulSettings = ConsulSettings.create(config.get("consul"));
        Consul consul = consulSettings.newClient();
        Database database = Database.create(config.get("db"));
        ServiceContext context = new ServiceContext(config, serviceName, database, consul, consulSettings);

        AtomicReference<String> instanceId = new AtomicReference<>(instance.id().orElse(serviceName));
        ShutdownState shutdown = new ShutdownState();
        InFlightRequests inFlight = new InFlightRequests();

        AtomicReference<String> grpcInstanceId = new AtomicReference<>(serviceName + GRPC_SUFFIX);
        BooleanSupplier ready = () -> database.isReachable() && !shutdown.isShuttingDown();
        WebServerConfig.Builder builder = WebServer.builder()
                .config(config.get("server"))
                // Our own hook orders the shutdown (deregister, drain, stop); Helidon's would stop at once.
                .shutdownHook(false)
                .addFeature(observe(database, shutdown))
                .routing(routing -> {
                    routing.addFilter(inFlight);
                    routing.addFilter(new InstanceIdFilter(instanceId::get));
                    ProblemErrorHandler.register(routing);
                    routes.register(routing, context);
                });
        if (grpcApi != null) {
            GrpcRouting.Builder grpc = GrpcRouting.builder()
                    .intercept(new GrpcCalls(grpcInstanceId::get, inFlight))
                    .service(new GrpcHealth(ready));
            grpcApi.register(grpc, context);
            builder.putSocket(GRPC_SOCKET, socket -> socket
                    .host(config.get("server.host").asString().orElse("0.0.0.0"))
                    .port(config.get("grpc.port").asInt().orElse(0))
                    .addRouting(grpc));
        }
        WebServer server = builder.build().start();
        if (server.port() < 0 || grpcApi != null && server.port(GRPC_SOCKET) < 0) {
            // Helidon logs a failed bind and carries on; an instance that is not listening must not register.
            server.stop();
            database.close();
            throw new IllegalStateException("Could not listen on port "
                    + config.get("server.port").asString().orElse("?")
                    + (grpcApi == null ? "" : " or gRPC port " + config.get("grpc.port").asString().orElse("0"))
                    + " (in use?)");
        }

        String id = instance.id().orElse(ServiceRegistration.defaultInstanceId(serviceName, instance.host(),
                                                                               server.port()));
        instanceId.set(id);
        ServiceRegistration registration = new ServiceRegistration(
                serviceName, id, instance.host(), server.port(), instance.tags(),
                Map.of("version", instance.version()), instance.check());
        List<ConsulRegistrar> registrars = new ArrayList<>();
        registrars.add(ConsulRegistrar.start(consul, registration));
        LOG.log(Level.INFO, "{0} serving on port {1,number,#} as {2}", serviceName, server.port(), id);
        if (grpcApi != null) {
            int grpcPort = server.port(GRPC_SOCKET);
            String grpcId = instance.id().map(base -> base + GRPC_SUFFIX).orElse(ServiceRegistration
                    .defaultInstanceId(serviceName + GRPC_SUFFIX, instance.host(), grpcPort));
            grpcInstanceId.set(grpcId);
            registrars.add(ConsulRegistrar.start(consul, new ServiceRegistration(
                    serviceName + GRPC_SUFFIX, grpcId, instance.host(), grpcPort, instance.tags(),
                    Map.of("version", instance.version()), instance.check(),
                    ServiceRegistration.CheckKind.GRPC)));
            LOG.log(Level.INFO, "{0} serving gRPC on port {1,number,#} as {2}", serviceName, grpcPort, grpcId);
        }

        RunningService running = new RunningService(context, server, registrars, inFlight, shutdown, instance);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("graceful-shutdown").unstarted(running::shutdown));
        return running;
    }

    /**
     * Prepares a routing for tests without Consul or a server of its own: the problem error handler and a fixed
     * {@code X-Instance-Id: test-instance}.
     */
    public static void testRouting(HttpRouting.Builder routing) {
        routing.addFilter(new InstanceIdFilter(() -> TEST_INSTANCE_ID));
        ProblemErrorHandler.register(routing);
    }

    private static ObserveFeature observe(Database database, ShutdownState shutdown) {
        HealthObserver health = HealthObserver.builder()
                .details(true)
                .useSystemServices(false)
                .addCheck(() -> HealthCheckResponse.builder()
                                  .status(database.isReachable())
                                  .detail("database", database.isReachable() ? "reachable" : "unreachable")
                                  .build(),
                          HealthCheckType.READINESS, "database")
                .addCheck(() -> HealthCheckResponse.builder()
                                  .status(!shutdown.isShuttingDown())
                                  .detail("state", shutdown.isShuttingDown() ? "draining" : "serving")
                                  .build(),
                          HealthCheckType.READINESS, "lifecycle")
                .build();
        return ObserveFeature.builder()
                .addObserver(health)
                .addObserver(MetricsObserver.create())
                .build();
    }
}
