package dev.refgateway.gateway.observability;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.refgateway.gateway.edge.ClientConnections;
import dev.refgateway.gateway.failover.Failover;
import dev.refgateway.gateway.http1.StandardMethods;
import dev.refgateway.gateway.upstream.Upstream;
import dev.refgateway.gateway.upstream.Upstreams;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * The gateway's meters, in Helidon Metrics (Prometheus text at {@code /observe/metrics}):
 * <ul>
 *     <li>{@code gateway_requests_total{route,method,status_class,outcome}} — every request;</li>
 *     <li>{@code gateway_request_duration_seconds{route}} — latency, with percentiles;</li>
 *     <li>{@code gateway_upstream_attempts_total{service,instance,result}} — each try on an instance;</li>
 *     <li>{@code gateway_upstream_retries_total{service,instance}} — attempts that were retries;</li>
 *     <li>{@code gateway_upstream_ejections_total{service,instance}} — outlier ejections;</li>
 *     <li>{@code gateway_upstream_healthy_instances{service}} — passing, not ejected, circuit not open;</li>
 *     <li>{@code gateway_discovery_staleness_seconds{service}} — time since Consul last answered the watch;</li>
 *     <li>{@code gateway_auth_failures_total{route,reason}} — requests refused by authentication or authorization,
 *     by the decision's label ({@code missing-credentials}, {@code expired}, {@code insufficient-scope}, ...);</li>
 *     <li>{@code gateway_rate_limited_total{route,reason}} — requests refused by rate limiting: {@code limit} (429)
 *     or {@code redis-unavailable} (503, shared buckets failing closed);</li>
 *     <li>{@code gateway_rate_limit_fallbacks_total{route}} — requests decided by local buckets because the shared
 *     ones in Redis did not answer (fail-open);</li>
 *     <li>{@code gateway_rate_limit_redis_outages_total} — times Redis stopped answering (once per outage);</li>
 *     <li>{@code gateway_header_read_timeouts_total} — connections cut off because a request's line and headers did
 *     not arrive within {@code gateway.limits.header-read-timeout};</li>
 *     <li>{@code gateway_body_read_timeouts_total} — connections cut off because a request body was slower than
 *     {@code gateway.limits.body-read-timeout} and {@code body-min-rate} allow;</li>
 *     <li>{@code gateway_connections_open} — client connections open on the public port;</li>
 *     <li>{@code gateway_connections_refused_total} — connections refused beyond
 *     {@code gateway.limits.max-connections};</li>
 *     <li>{@code gateway_access_log_dropped_total} — access-log lines dropped because the output could not keep
 *     up.</li>
 * </ul>
 * Meters are looked up once per distinct tag set and cached, so the request path does a map read, not a registry
 * look-up.
 */
public final class GatewayMetrics {

    private final MeterRegistry registry;
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the per-service gauges. */
    public void watch(Upstreams upstreams) {
        for (Upstream upstream : upstreams.all()) {
            List<Tag> tags = List.of(Tag.create("service", upstream.service()));
            registry.getOrCreate(Gauge.builder("gateway.upstream.healthy.instances", upstream,
                                               GatewayMetrics::healthyInstances)
                                         .description("Instances passing in discovery, not ejected, circuit not open")
                                         .tags(tags));
            registry.getOrCreate(Gauge.builder("gateway.discovery.staleness.seconds", upstream,
                                               u -> u.source().staleness().toNanos() / 1e9)
                                         .description("Seconds since the service's source (Consul) last answered; 0 for static")
                                         .tags(tags));
            // Each instance's ejection counter exists from the moment the instance is discovered, at 0: a counter
            // that appears only with the first ejection is missing from dashboards and rate() until then.
            upstream.source().addListener(snapshot -> snapshot.instances().forEach(
                    instance -> ejectionCounter(upstream.service(), instance.id())));
        }
    }

    /** Access-log lines dropped because the output could not keep up. */
    public void watchAccessLog() {
        registry.getOrCreate(FunctionalCounter.builder("gateway.access.log.dropped", AccessLog.class,
                                                       ignored -> AccessLog.dropped())
                                     .description("Access-log lines dropped because the output could not keep up"));
    }

    /**
     * One request. {@code method} is reduced to a closed set (the standard methods, else {@code OTHER}): a client
     * inventing methods must not create metric series.
     */
    public void request(String route, String method, int status, String outcome, long durationNanos) {
        counter("gateway.requests", "Requests by route, method, status class and outcome",
                "route", route, "method", methodLabel(method), "status_class", (status / 100) + "xx",
                "outcome", outcome)
                .increment();
        timers.computeIfAbsent(route, r -> registry.getOrCreate(
                        Timer.builder("gateway.request.duration")
                                .description("Request latency by route, until the response is complete")
                                .percentiles(0.5, 0.9, 0.99, 0.999)
                                .tags(List.of(Tag.create("route", r)))))
                .record(Duration.ofNanos(durationNanos));
    }

    /** A request refused by the security check; {@code reason} is the decision's label. */
    public void authFailure(String route, String reason) {
        counter("gateway.auth.failures", "Requests refused by authentication or authorization, by reason",
                "route", route, "reason", reason).increment();
    }

    /** A request refused by rate limiting: {@code limit} or {@code redis-unavailable}. */
    public void rateLimited(String route, String reason) {
        counter("gateway.rate.limited", "Requests refused by rate limiting, by reason",
                "route", route, "reason", reason).increment();
    }

    /** A request decided by local buckets because Redis did not answer (fail-open). */
    public void rateLimitFallback(String route) {
        counter("gateway.rate.limit.fallbacks", "Requests limited by local buckets while Redis did not answer",
                "route", route).increment();
    }

    /** Redis, which holds the shared buckets, stopped answering. */
    public void rateLimitRedisOutage() {
        counter("gateway.rate.limit.redis.outages", "Times Redis with the shared rate-limit buckets stopped answering")
                .increment();
    }

    /** What the edge reports: connections cut off by a deadline, or refused beyond the connection cap. */
    public ClientConnections.Events edgeEvents() {
        return new ClientConnections.Events() {
            @Override
            public void headerTimeout() {
                counter("gateway.header.read.timeouts",
                        "Connections closed because the request line and headers did not arrive in time").increment();
            }

            @Override
            public void bodyTimeout() {
                counter("gateway.body.read.timeouts",
                        "Connections closed because a request body did not arrive in time").increment();
            }

            @Override
            public void refused() {
                counter("gateway.connections.refused",
                        "Client connections refused because gateway.limits.max-connections were open").increment();
            }
        };
    }

    /** The client connections open on the public port. */
    public void watch(ClientConnections connections) {
        registry.getOrCreate(Gauge.builder("gateway.connections.open", connections,
                                           ClientConnections::openConnections)
                                     .description("Client connections open on the public port"));
    }

    /** What failover reports: each attempt's result, and retries. */
    public Failover.Events failoverEvents() {
        return new Failover.Events() {
            @Override
            public void attempt(String service, String instance, String result) {
                GatewayMetrics.this.attempt(service, instance, result);
            }

            @Override
            public void retry(String service, String instance) {
                GatewayMetrics.this.retry(service, instance);
            }
        };
    }

    public void attempt(String service, String instance, String result) {
        counter("gateway.upstream.attempts", "Attempts on an instance by result",
                "service", service, "instance", instance, "result", result).increment();
    }

    public void retry(String service, String instance) {
        counter("gateway.upstream.retries", "Attempts that retried a failed one",
                "service", service, "instance", instance).increment();
    }

    public void ejection(String service, String instance) {
        ejectionCounter(service, instance).increment();
    }

    private Counter ejectionCounter(String service, String instance) {
        return counter("gateway.upstream.ejections", "Outlier ejections", "service", service, "instance", instance);
    }

    private Counter counter(String name, String description, String... tagPairs) {
        List<String> key = List.of(withName(name, tagPairs));
        return counters.computeIfAbsent(key, k -> {
            Tag[] tags = new Tag[tagPairs.length / 2];
            for (int i = 0; i < tags.length; i++) {
                tags[i] = Tag.create(tagPairs[2 * i], tagPairs[2 * i + 1]);
            }
            return registry.getOrCreate(Counter.builder(name).description(description).tags(List.of(tags)));
        });
    }

    private static String[] withName(String name, String[] tagPairs) {
        String[] key = new String[tagPairs.length + 1];
        key[0] = name;
        System.arraycopy(tagPairs, 0, key, 1, tagPairs.length);
        return key;
    }

    /** The method as a metric label: one of the standard methods (RFC 9110 §9, PATCH), else {@code OTHER}. */
    static String methodLabel(String method) {
        return StandardMethods.isStandard(method) ? method : "OTHER";
    }

    private static double healthyInstances(Upstream upstream) {
        long now = System.nanoTime();
        Upstream.Pool pool = upstream.pool();
        int healthy = 0;
        for (var state : pool.states().values()) {
            if (!state.isEjected(now) && !state.isCircuitOpen()) {
                healthy++;
            }
        }
        return healthy;
    }
}
