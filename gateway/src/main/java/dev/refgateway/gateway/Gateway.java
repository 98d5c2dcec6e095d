package dev.refgateway.gateway;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.refgateway.discovery.ConsulSettings;
import dev.refgateway.discovery.watch.WatchSettings;
import dev.refgateway.gateway.admin.AdminService;
import dev.refgateway.gateway.admin.AdminSettings;
import dev.refgateway.gateway.config.Durations;
import dev.refgateway.gateway.edge.ClientConnections;
import dev.refgateway.gateway.edge.EdgeSettings;
import dev.refgateway.gateway.observability.AccessLog;
import dev.refgateway.gateway.observability.GatewayMetrics;
import dev.refgateway.gateway.pipeline.Pipeline;
import dev.refgateway.gateway.problem.TransportProblemHandler;
import dev.refgateway.gateway.ratelimit.RateLimiter;
import dev.refgateway.gateway.security.RouteGuard;
import dev.refgateway.gateway.settings.GatewaySettings;
import dev.refgateway.gateway.upstream.ConsulDiscovery;
import dev.refgateway.gateway.upstream.InstanceSource;
import dev.refgateway.gateway.upstream.OutlierDetector;
import dev.refgateway.gateway.upstream.StaticInstances;
import dev.refgateway.gateway.upstream.Upstreams;

import io.helidon.common.socket.SocketOptions;
import io.helidon.config.Config;
import io.helidon.config.ConfigMappingException;
import io.helidon.config.ConfigSources;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.http.DirectHandler;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;


/**
 * The gateway assembled: settings → one Consul watch shared by the routed services → the proxy on the public socket,
 * the admin API and {@code /observe} on the admin socket. {@link #shutdown()} stops accepting, lets requests in
 * flight finish (up to the drain timeout) and closes the watch.
 */
public final class Gateway implements AutoCloseable {

    /** Name of the admin socket. */
    public static final String ADMIN_SOCKET = "admin";
    private static final Logger LOG = System.getLogger(Gateway.class.getName());
    /** Admin connections open at once: operators, probes and a Prometheus or two, never the public. */
    private static final int ADMIN_MAX_CONNECTIONS = 256;

    private final WebServer server;
    private final Upstreams upstreams;
    private final Optional<ConsulDiscovery> consul;
    private final RouteGuard guard;
    private final RateLimiter rateLimiter;
    private final Pipeline proxy;
    private final ClientConnections connections;
    private final ClientConnections adminConnections;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private Gateway(WebServer server, Upstreams upstreams, Optional<ConsulDiscovery> consul, RouteGuard guard, RateLimiter rateLimiter,
                    Pipeline proxy, ClientConnections connections, ClientConnections adminConnections) {
        this.proxy = proxy;
        this.connections = connections;
        this.adminConnections = adminConnections;
        this.server = server;
        this.upstreams = upstreams;
        this.consul = consul;
        this.guard = guard;
        this.rateLimiter = rateLimiter;
    }

    /**
     * Validates the configuration (failing fast with the bad key and value), starts the watches and the server.
     * Serves at once; readiness turns UP once Consul answered for every routed service.
     */
    public static Gateway start(Config config) {
        GatewaySettings settings = GatewaySettings.create(config.get("gateway"));
        // No Consul client at all when no route needs one: the gateway then runs without Consul. Otherwise it is built
        // beside the server, not before it: the watch starts as soon as it is there.
        Optional<ConsulDiscovery> consul = settings.discoveredServices().isEmpty()
                ? Optional.empty()
                : Optional.of(ConsulDiscovery.start(ConsulSettings.create(config.get("consul")),
                                                    WatchSettings.create(config.get("consul.watch"))));
        Upstreams upstreams = Upstreams.start(instanceSources(settings, consul), settings.discovery(),
                                              settings.circuitBreaker(), settings.bulkhead());
        GatewayMetrics metrics = new GatewayMetrics(Metrics.globalRegistry());
        metrics.watch(upstreams);
        metrics.watchAccessLog();
        OutlierDetector outliers = new OutlierDetector(
                settings.outlier(), (upstream, instance) -> metrics.ejection(upstream.service(), instance.id()));
        RouteGuard guard = RouteGuard.create(settings.security());
        RateLimiter rateLimiter = RateLimiter.create(settings.rateLimit(), rateLimitEvents(metrics));
        EdgeSettings edge = EdgeSettings.create(config.get("gateway"));
        ClientConnections connections = new ClientConnections(edge, metrics.edgeEvents());
        metrics.watch(connections);
        Pipeline proxy = Pipeline.create(settings, upstreams, outliers, guard, rateLimiter, connections, metrics,
                                         AccessLog.create(edge.accessLogEnabled()));
        AdminSettings adminSettings = AdminSettings.create(config.get("admin"));
        AdminService admin = new AdminService(settings.routes(), upstreams, adminSettings.token());
        // The admin socket gets the edge as well (the same header and body deadlines), with its own small cap.
        ClientConnections adminConnections = new ClientConnections(edge.withMaxConnections(ADMIN_MAX_CONNECTIONS),
                                                                   metrics.edgeEvents());
        int adminPort = adminSettings.port();
        Config serverConfig = serverConfig(config);

        WebServer server = WebServer.builder()
                .config(serverConfig)
                .shutdownHook(false)
                .shutdownGracePeriod(settings.shutdownDrainTimeout())
                // Starts from server.connection-options, so options set there are kept (its read-timeout is
                // applied to client sockets only: slow clients are cut off by the edge's deadlines).
                .connectionOptions(SocketOptions.builder()
                                           .config(serverConfig.get("connection-options"))
                                           .tcpNoDelay(true)
                                           .build())
                // Every connection of the public port is read through the edge: strict framing, one canonical
                // path, HTTP/1.0, deadlines, the connection cap.
                .addConnectionSelector(connections.selector(serverConfig.get("protocols.http_1_1")))
                .directHandlers(handlers -> {
                    TransportProblemHandler problems = new TransportProblemHandler();
                    for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
                        handlers.addHandler(type, problems);
                    }
                })
                .putSocket(ADMIN_SOCKET, socket -> socket
                        .host(adminSettings.host())
                        .port(adminPort)
                        .protocolsDiscoverServices(false)
                        .addConnectionSelector(adminConnections.selector(serverConfig.get("protocols.http_1_1"))))
                .addFeature(observe(upstreams))
                .routing(routing -> routing.any(proxy.handler()))
                .routing(ADMIN_SOCKET, routing -> routing.register("/admin", admin))
                .build()
                .start();
        if (server.port() < 0 || server.port(ADMIN_SOCKET) < 0) {
            // Helidon logs a failed bind and carries on; a gateway that is not listening must not look alive.
            server.stop();
            upstreams.close();
            consul.ifPresent(ConsulDiscovery::close);
            guard.close();
            rateLimiter.close();
            proxy.close();
            connections.close();
            adminConnections.close();
            throw new IllegalStateException("Could not listen on port " + config.get("server.port").asString()
                    .orElse("8080") + " or admin port " + adminPort + " (in use?)");
        }
        LOG.log(Level.INFO, "Gateway serving on port {0,number,#} (admin on {1,number,#}), {2} route(s) to {3}",
                server.port(), server.port(ADMIN_SOCKET), settings.routes().routes().size(),
                settings.routes().services());
        return new Gateway(server, upstreams, consul, guard, rateLimiter, proxy, connections, adminConnections);
    }

    public int port() {
        return server.port();
    }

    public int adminPort() {
        return server.port(ADMIN_SOCKET);
    }

    public Upstreams upstreams() {
        return upstreams;
    }

    /** Stops accepting, drains requests in flight up to the drain timeout, then closes the Consul watch. */
    public void shutdown() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        LOG.log(Level.INFO, "Gateway stopping: draining requests in flight");
        server.stop();
        upstreams.close();
        guard.close();
        rateLimiter.close();
        proxy.close();
        connections.close();
        adminConnections.close();
        consul.ifPresent(ConsulDiscovery::close);
        LOG.log(Level.INFO, "Gateway stopped");
    }

    @Override
    public void close() {
        shutdown();
    }

    /**
     * The {@code server} configuration with Helidon's own HTTP/1.1 of the public port switched off ({@code enabled:
     * false}, which a protocol's configuration understands): the edge's selector ({@link ClientConnections}) serves
     * HTTP/1.1 there, reading the same {@code server.protocols.http_1_1} settings. Were both offered, the server
     * would wait for a new connection's first byte to choose between them, before the connection exists for any
     * timeout, the idle timeout included: a client that connects and sends nothing would be held forever.
     * (Clearing the builder's protocols does not help: it re-reads them from the configuration when it builds.)
     * The copy is made from the resolved values ({@code asMap}), so environment variables and every source count.
     */
    static Config serverConfig(Config config) {
        Map<String, String> server = new HashMap<>(config.get("server").detach().asMap().orElseGet(Map::of));
        server.put("protocols.http_1_1.enabled", "false");
        return configBuilder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(server))
                .build();
    }

    /**
     * A configuration builder whose durations are read the gateway's way everywhere: {@code 250ms}, {@code 15s},
     * {@code 2m}, {@code 1h} or ISO-8601, in Helidon's own {@code server} keys and in {@code consul} as in
     * {@code gateway} (Helidon alone takes ISO-8601 only).
     */
    public static Config.Builder configBuilder() {
        return Config.builder().addMapper(Duration.class, Gateway::duration);
    }

    private static Duration duration(Config node) {
        String text = node.asString().get();
        return Durations.parse(text).orElseThrow(() -> new ConfigMappingException(
                node.key(), Duration.class, "\"" + text + "\" (expected: a duration such as 15s, 250ms or PT15S)"));
    }

    /** A static list for every service whose routes list its instances, a view of the Consul watch for every other. */
    private static List<InstanceSource> instanceSources(GatewaySettings settings, Optional<ConsulDiscovery> consul) {
        List<InstanceSource> sources = new ArrayList<>();
        settings.staticInstances().forEach((service, addresses) -> sources.add(new StaticInstances(service,
                                                                                                   addresses)));
        consul.ifPresent(discovery -> sources.addAll(discovery.sources(settings.discoveredServices())));
        return sources;
    }

    private static RateLimiter.Events rateLimitEvents(GatewayMetrics metrics) {
        return new RateLimiter.Events() {
            @Override
            public void redisOutage() {
                metrics.rateLimitRedisOutage();
            }

            @Override
            public void fallback(String routeId) {
                metrics.rateLimitFallback(routeId);
            }
        };
    }

    private static ObserveFeature observe(Upstreams upstreams) {
        HealthObserver health = HealthObserver.builder()
                .details(true)
                .useSystemServices(false)
                .addCheck(() -> HealthCheckResponse.builder()
                                  .status(upstreams.allHaveSnapshots())
                                  .detail("discovery", upstreams.allHaveSnapshots()
                                          ? "every routed service has a snapshot" : "waiting for Consul")
                                  .build(),
                          HealthCheckType.READINESS, "discovery")
                .build();
        return ObserveFeature.builder()
                .sockets(List.of(ADMIN_SOCKET))
                .addObserver(health)
                .addObserver(MetricsObserver.create())
                .build();
    }
}
