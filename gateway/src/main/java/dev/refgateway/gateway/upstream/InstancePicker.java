package dev.refgateway.gateway.upstream;

import java.util.Optional;
import java.util.function.Predicate;

import dev.refgateway.discovery.ServiceInstance;

/**
 * Chooses the instance for the next attempt: round robin over the candidates, where a candidate is passing in Consul,
 * not ejected, its circuit not open, and not tried yet by this request (the {@code tried} test, given an instance
 * id: failover keeps that list).
 * <p>
 * Panic mode (Envoy's panic threshold, off unless {@code panicThresholdPercent > 0}): when fewer than that share of
 * the passing instances are eligible, ejection and open circuits are ignored and the load spreads over all of them —
 * better to send some requests to a doubtful instance than to pile everything onto the one or two survivors.
 */
public final class InstancePicker {

    private static final Predicate<String> NOTHING_TRIED = id -> false;

    private final int panicThresholdPercent;

    public InstancePicker(int panicThresholdPercent) {
        this.panicThresholdPercent = panicThresholdPercent;
    }

    /** Why no instance could be picked. */
    public enum NoPick {
        /** Consul lists no passing instance, or every one is ejected or was tried already. */
        NO_HEALTHY_INSTANCE,
        /** Instances are left, but every one has its circuit open. */
        ALL_CIRCUITS_OPEN
    }

    /**
     * The instance for a request's first attempt (nothing tried yet), or empty; the same answer as {@link #pick},
     * in O(1): the round robin runs over the eligible instances as {@link EligibleInstances} remembers them, built
     * anew only when something they were built from has changed. Panic mode needs a count of the eligible
     * instances on every pick and takes {@link #pick}'s pass.
     */
    public Optional<InstanceState> pickFirst(Upstream upstream, long nowNanos) {
        Upstream.Pool pool = upstream.pool();
        if (panicThresholdPercent > 0 || pool.size() == 0) {
            return pick(upstream, NOTHING_TRIED, nowNanos);
        }
        EligibleInstances eligible = upstream.eligible();
        if (eligible == null || !eligible.isCurrent(pool, nowNanos)) {
            eligible = EligibleInstances.of(pool, nowNanos);
            upstream.eligible(eligible);
        }
        Optional<ServiceInstance> chosen = upstream.balancer().choose(eligible.instances());
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        InstanceState state = pool.state(chosen.get());
        if (state.isCircuitOpen() || state.isEjected(nowNanos)) {
            // its circuit opened since the list was made: make it again, and pick the slow way this once
            upstream.eligible(EligibleInstances.of(pool, nowNanos));
            return pick(upstream, NOTHING_TRIED, nowNanos);
        }
        return Optional.of(state);
    }

    /**
     * The next instance, or empty; {@link #whyNone} explains an empty answer. The service's round robin
     * (service-discovery's {@code LoadBalancer}) runs over the eligible instances only, so an ejected instance's
     * turns are shared evenly by the others.
     */
    public Optional<InstanceState> pick(Upstream upstream, Predicate<String> tried, long nowNanos) {
        Upstream.Pool pool = upstream.pool();
        if (pool.size() == 0) {
            return Optional.empty();
        }
        boolean panic = panicThresholdPercent > 0 && inPanic(pool, nowNanos);
        return upstream.balancer()
                .choose(pool.instances(), instance -> isEligible(pool, instance, tried, panic, nowNanos))
                .map(pool::state);
    }

    /** Why {@link #pick} found nothing. */
    public NoPick whyNone(Upstream upstream, Predicate<String> tried, long nowNanos) {
        Upstream.Pool pool = upstream.pool();
        boolean anyCircuitOpen = false;
        for (ServiceInstance instance : pool.instances()) {
            InstanceState state = pool.state(instance);
            if (!tried.test(instance.id()) && !state.isEjected(nowNanos) && state.isCircuitOpen()) {
                anyCircuitOpen = true;
            }
        }
        return anyCircuitOpen ? NoPick.ALL_CIRCUITS_OPEN : NoPick.NO_HEALTHY_INSTANCE;
    }

    private static boolean isEligible(Upstream.Pool pool, ServiceInstance instance, Predicate<String> tried,
                                      boolean panic, long nowNanos) {
        if (tried.test(instance.id())) {
            return false;
        }
        if (panic) {
            return true;
        }
        InstanceState state = pool.state(instance);
        return !state.isEjected(nowNanos) && !state.isCircuitOpen();
    }

    private boolean inPanic(Upstream.Pool pool, long nowNanos) {
        int eligible = 0;
        for (ServiceInstance instance : pool.instances()) {
            InstanceState state = pool.state(instance);
            if (!state.isEjected(nowNanos) && !state.isCircuitOpen()) {
                eligible++;
            }
        }
        return eligible * 100 < panicThresholdPercent * pool.size();
    }
}
