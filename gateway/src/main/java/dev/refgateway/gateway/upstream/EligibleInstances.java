package dev.refgateway.gateway.upstream;

import java.util.ArrayList;
import java.util.List;

import dev.refgateway.discovery.ServiceInstance;

/**
 * The instances of one pool a first attempt may go to — passing, not ejected, circuit not open — kept from one
 * request to the next, so that a pick costs O(1) rather than a pass over every instance (with 1,000 instances the
 * pass was most of a request's routing cost; bench scenario b).
 * <p>
 * It holds for as long as nothing it was built from has changed: the pool is the same (a Consul answer replaces
 * it), no instance has been ejected since ({@link InstanceState#ejections()}), none of the ejections it left out
 * has run out, and every circuit it left out is still open. A circuit that has opened since is not seen here: the
 * picker finds it when the instance's turn comes, and builds a new one.
 */
final class EligibleInstances {

    private final Upstream.Pool pool;
    private final List<ServiceInstance> instances;
    private final long ejections;
    private final boolean anyEjected;
    private final long firstEjectionEndsNanos;
    private final InstanceState[] openCircuits;

    private EligibleInstances(Upstream.Pool pool, List<ServiceInstance> instances, long ejections, boolean anyEjected,
                              long firstEjectionEndsNanos, InstanceState[] openCircuits) {
        this.pool = pool;
        this.instances = instances;
        this.ejections = ejections;
        this.anyEjected = anyEjected;
        this.firstEjectionEndsNanos = firstEjectionEndsNanos;
        this.openCircuits = openCircuits;
    }

    /** The eligible instances of {@code pool} at {@code nowNanos}, in the pool's order. */
    static EligibleInstances of(Upstream.Pool pool, long nowNanos) {
        // read before the states: an ejection during the pass below then makes this one stale at once
        long ejections = InstanceState.ejections();
        List<ServiceInstance> eligible = new ArrayList<>(pool.size());
        List<InstanceState> open = new ArrayList<>(0);
        boolean anyEjected = false;
        long firstEnd = 0;
        for (ServiceInstance instance : pool.instances()) {
            InstanceState state = pool.state(instance);
            if (state.isEjected(nowNanos)) {
                long end = state.ejectedUntilNanos();
                firstEnd = anyEjected && firstEnd - end < 0 ? firstEnd : end;
                anyEjected = true;
            } else if (state.isCircuitOpen()) {
                open.add(state);
            } else {
                eligible.add(instance);
            }
        }
        List<ServiceInstance> kept = eligible.size() == pool.size() ? pool.instances() : List.copyOf(eligible);
        return new EligibleInstances(pool, kept, ejections, anyEjected, firstEnd, open.toArray(InstanceState[]::new));
    }

    /** Whether this still describes {@code current} at {@code nowNanos} (see the class comment). */
    boolean isCurrent(Upstream.Pool current, long nowNanos) {
        if (current != pool || ejections != InstanceState.ejections()
                || anyEjected && nowNanos - firstEjectionEndsNanos >= 0) {
            return false;
        }
        for (InstanceState state : openCircuits) {
            if (!state.isCircuitOpen()) {
                return false;
            }
        }
        return true;
    }

    /** The eligible instances, in the pool's order. */
    List<ServiceInstance> instances() {
        return instances;
    }
}
