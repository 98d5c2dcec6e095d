package dev.refgateway.gateway.upstream;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.refgateway.discovery.ServiceInstance;

import io.helidon.faulttolerance.Bulkhead;
import io.helidon.faulttolerance.CircuitBreaker;

/** The upstreams of every routed service: one instance source per service (a Consul watch or a static list). */
public final class Upstreams implements AutoCloseable {

    private final Map<String, Upstream> byService;

    private Upstreams(Map<String, Upstream> byService) {
        this.byService = byService;
    }

    /** One upstream per source, by service. Returns at once; see {@link #awaitFirstSnapshots(Duration)}. */
    public static Upstreams start(Collection<InstanceSource> sources,
                                  DiscoverySettings discovery,
                                  CircuitBreakerSettings circuit,
                                  BulkheadSettings bulkhead) {
        Map<String, Upstream> byService = new TreeMap<>();
        for (InstanceSource source : sources) {
            String service = source.service();
            byService.put(service, new Upstream(service, source, discovery.consulRestartGrace(),
                                                instance -> breaker(circuit, instance), bulkhead(bulkhead, service)));
        }
        return new Upstreams(Map.copyOf(byService));
    }

    public Optional<Upstream> get(String service) {
        return Optional.ofNullable(byService.get(service));
    }

    /** Every upstream, by service name. */
    public Collection<Upstream> all() {
        return new TreeMap<>(byService).values();
    }

    /** Whether every service's source has answered (readiness). */
    public boolean allHaveSnapshots() {
        for (Upstream upstream : byService.values()) {
            if (!upstream.source().hasSnapshot()) {
                return false;
            }
        }
        return true;
    }

    /** Waits until every service's source answered; false when {@code timeout} passed first. */
    public boolean awaitFirstSnapshots(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Upstream upstream : byService.values()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !upstream.source().awaitFirstSnapshot(Duration.ofNanos(left))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        byService.values().forEach(Upstream::close);
    }

    private static Optional<CircuitBreaker> breaker(CircuitBreakerSettings settings, ServiceInstance instance) {
        return settings.enabled()
                ? Optional.of(CircuitBreaker.create(settings.helidonConfig("instance-" + instance.id())))
                : Optional.empty();
    }

    private static Optional<Bulkhead> bulkhead(BulkheadSettings settings, String service) {
        return settings.enabled()
                ? Optional.of(Bulkhead.create(settings.helidonConfig("service-" + service)))
                : Optional.empty();
    }
}
