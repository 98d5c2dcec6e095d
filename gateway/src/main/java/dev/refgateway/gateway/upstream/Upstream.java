package dev.refgateway.gateway.upstream;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.refgateway.discovery.InstanceSnapshot;
import dev.refgateway.discovery.ServiceInstance;
import dev.refgateway.discovery.balancing.LoadBalancer;

import io.helidon.faulttolerance.Bulkhead;
import io.helidon.faulttolerance.CircuitBreaker;

/**
 * One routed service: its passing instances as Consul last reported them, and the gateway's own state for each.
 * <p>
 * Requests read {@link #pool()} — one volatile read of an immutable value — and never wait for discovery. The
 * source's thread builds a new pool when the passing set changes and carries every surviving instance's state
 * (failure streak, ejection, circuit) over to it, so a Consul update does not forgive a misbehaving instance.
 * <p>
 * One update is not taken at once: an empty list right after Consul came back (or with its index gone backwards)
 * says Consul lost its registrations, not that every instance failed; the last instances are kept for
 * {@link DiscoverySettings#consulRestartGrace()}, still ejected when they fail, until the list fills again.
 */
public final class Upstream implements AutoCloseable {

    private static final Logger LOG = System.getLogger(Upstream.class.getName());

    private final String service;
    private final InstanceSource source;
    private final Duration restartGrace;
    private final Function<ServiceInstance, Optional<CircuitBreaker>> breakers;
    private final Optional<Bulkhead> bulkhead;
    private final LoadBalancer balancer = LoadBalancer.roundRobin();
    private final AtomicInteger activeRequests = new AtomicInteger();
    private final AtomicInteger activeRetries = new AtomicInteger();
    private volatile Pool pool = Pool.EMPTY;
    // the picker's memo of the pool's eligible instances (null until the first pick); any thread may replace it
    private volatile EligibleInstances eligible;
    // guarded by this: what the pool was built from, the latest snapshot, and when a grace ends (0: none)
    private InstanceSnapshot applied;
    private InstanceSnapshot latest;
    private long graceEndsNanos;

    /**
     * @param source       what feeds the pool; {@code null} only in tests, which feed it with
     *                     {@link #onSnapshot(InstanceSnapshot)}
     * @param restartGrace how long the last instances are kept when Consul lost its registrations; zero: never
     */
    Upstream(String service,
             InstanceSource source,
             Duration restartGrace,
             Function<ServiceInstance, Optional<CircuitBreaker>> breakers,
             Optional<Bulkhead> bulkhead) {
        this.service = service;
        this.source = source;
        this.restartGrace = restartGrace;
        this.breakers = breakers;
        this.bulkhead = bulkhead;
        this.applied = InstanceSnapshot.empty(service);
        this.latest = applied;
        if (source != null) {
            source.addListener(this::onSnapshot);
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

    /** The eligible instances as the picker last saw them, or null. */
    EligibleInstances eligible() {
        return eligible;
    }

    void eligible(EligibleInstances instances) {
        eligible = instances;
    }

    /** Where the instances come from. */
    public InstanceSource source() {
        return source;
    }

    /** Whether the pool holds instances Consul no longer lists, during a grace after a Consul restart. */
    public synchronized boolean inRestartGrace() {
        return graceEndsNanos != 0;
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
        if (source != null) {
            source.close();
        }
    }

    /**
     * Takes a new passing set: replaces the pool, keeping the state of every instance that is still there — unless
     * it is Consul's loss rather than the instances' (see the class comment), which starts or continues a grace.
     */
    synchronized void onSnapshot(InstanceSnapshot snapshot) {
        latest = snapshot;
        if (snapshot.isEmpty() && !applied.isEmpty() && !restartGrace.isZero()
                && (graceEndsNanos != 0 || consulLostItsRegistrations(applied, snapshot))) {
            if (graceEndsNanos == 0) {
                graceEndsNanos = System.nanoTime() + restartGrace.toNanos();
                LOG.log(Level.WARNING, "Consul lists no passing instance of {0} just after it came back: it lost its "
                        + "registrations rather than every instance failing at once; keeping the last {1} "
                        + "instance(s) for {2} s", service, applied.size(), restartGrace.toSeconds());
                Thread.ofVirtual().name("restart-grace-" + service).start(this::endGraceWhenDue);
            }
            return;
        }
        if (graceEndsNanos != 0) {
            LOG.log(Level.INFO, "{0}: Consul lists {1} passing instance(s) again", service, snapshot.size());
            graceEndsNanos = 0;
        }
        apply(snapshot);
    }

    /** An empty list in Consul's first answer after an outage, or with Consul's index gone backwards. */
    static boolean consulLostItsRegistrations(InstanceSnapshot before, InstanceSnapshot now) {
        return now.afterOutage() || now.consulIndex() < before.consulIndex();
    }

    private void endGraceWhenDue() {
        try {
            Thread.sleep(restartGrace);
        } catch (InterruptedException e) {
            return;
        }
        synchronized (this) {
            if (graceEndsNanos != 0 && System.nanoTime() - graceEndsNanos >= 0) {
                LOG.log(Level.WARNING, "{0}: the grace after Consul''s restart is over and it still lists {1} "
                        + "passing instance(s)", service, latest.size());
                graceEndsNanos = 0;
                apply(latest);
            }
        }
    }

    private void apply(InstanceSnapshot snapshot) {
        applied = snapshot;
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
