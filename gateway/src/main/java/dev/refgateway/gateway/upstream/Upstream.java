package dev.refgateway.gateway.upstream;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.refgateway.discovery.InstanceSnapshot;
import dev.refgateway.discovery.ServiceInstance;
import dev.refgateway.discovery.balancing.LoadBalancer;
import dev.refgateway.discovery.watch.HealthyInstancesWatch;

import io.helidon.faulttolerance.Bulkhead;
import io.helidon.faulttolerance.CircuitBreaker;

/**
 * One routed service: its passing instances as Consul last reported them, and the gateway's own state for each.
 * <p>
 * Requests read {@link #pool()} — one volatile read of an immutable value — and never wait for discovery. The watch
 * thread builds a new pool when the passing set changes and carries every surviving instance's state (failure
 * streak, ejection, circuit) over to it, so a Consul update does not forgive a misbehaving instance.
 */
public final class Upstream implements AutoCloseable {

    private final String service;
    private final HealthyInstancesWatch watch;
    private final Function<ServiceInstance, Optional<CircuitBreaker>> breakers;
    private final Optional<Bulkhead> bulkhead;
    private final LoadBalancer balancer = LoadBalancer.roundRobin();
    private final AtomicInteger activeRequests = new AtomicInteger();
    private final AtomicInteger activeRetries = new AtomicInteger();
    private volatile Pool pool = Pool.EMPTY;

    /**
     * @param watch the Consul watch that feeds the pool; {@code null} only in tests, which feed it with
     *              {@link #onSnapshot(InstanceSnapshot)}
     */
    Upstream(String service,
             HealthyInstancesWatch watch,
             Function<ServiceInstance, Optional<CircuitBreaker>> breakers,
             Optional<Bulkhead> bulkhead) {
        this.service = service;
        this.watch = watch;
        this.breakers = breakers;
        this.bulkhead = bulkhead;
        if (watch != null) {
            watch.addListener(this::onSnapshot);
        }
    }

    public String service() {
        return service;
    }

    /** The current instances with their state. */
    public Pool pool() {
        return pool;
    }

    /** The service's own round robin: each service's instances alternate independently. */
    public LoadBalancer balancer() {
        return balancer;
    }

    public HealthyInstancesWatch watch() {
        return watch;
    }

    public Optional<Bulkhead> bulkhead() {
        return bulkhead;
    }

    /** Requests to this service in progress; the retry budget is a share of it. */
    public AtomicInteger activeRequests() {
        return activeRequests;
    }

    /** Retries to this service in progress. */
    public AtomicInteger activeRetries() {
        return activeRetries;
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
    }

    /** Replaces the pool with a new passing set, keeping the state of every instance that is still there. */
    void onSnapshot(InstanceSnapshot snapshot) {
        Pool previous = pool;
        Map<String, InstanceState> states = new HashMap<>();
        for (ServiceInstance instance : snapshot.instances()) {
            InstanceState kept = previous.states().get(instance.id());
            states.put(instance.id(), kept != null && kept.instance().equals(instance)
                    ? kept
                    : new InstanceState(instance, breakers.apply(instance)));
        }
        pool = new Pool(snapshot.instances(), Map.copyOf(states));
    }

    /**
     * Passing instances (sorted by id, as the balancer needs a stable order) and the state of each.
     *
     * @param instances passing instances
     * @param states    state by instance id
     */
    public record Pool(List<ServiceInstance> instances, Map<String, InstanceState> states) {

        static final Pool EMPTY = new Pool(List.of(), Map.of());

        public InstanceState state(ServiceInstance instance) {
            return states.get(instance.id());
        }

        public int size() {
            return instances.size();
        }

        /** Instances ejected at {@code nowNanos}. */
        public int ejectedCount(long nowNanos) {
            int ejected = 0;
            for (InstanceState state : states.values()) {
                if (state.isEjected(nowNanos)) {
                    ejected++;
                }
            }
            return ejected;
        }
    }
}
