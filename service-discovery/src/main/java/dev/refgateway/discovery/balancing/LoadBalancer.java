package dev.refgateway.discovery.balancing;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import dev.refgateway.discovery.ServiceInstance;

/**
 * Picks one instance of a service for the next call. Implementations are thread-safe and never block.
 */
public interface LoadBalancer {

    /**
     * The next instance among {@code candidates} for which {@code eligible} holds, or empty when none does.
     * The predicate lets callers skip instances without copying the list (already tried, ejected, circuit open).
     */
    Optional<ServiceInstance> choose(List<ServiceInstance> candidates, Predicate<ServiceInstance> eligible);

    /** The next instance whose id is not in {@code excludedIds} (the instances a retry already tried). */
    default Optional<ServiceInstance> choose(List<ServiceInstance> candidates, Set<String> excludedIds) {
        return excludedIds.isEmpty()
                ? choose(candidates, instance -> true)
                : choose(candidates, instance -> !excludedIds.contains(instance.id()));
    }

    /** The next instance among all {@code candidates}. */
    default Optional<ServiceInstance> choose(List<ServiceInstance> candidates) {
        return choose(candidates, instance -> true);
    }

    /** A round robin; use one per service so each service's instances alternate on their own. */
    static LoadBalancer roundRobin() {
        return new RoundRobinLoadBalancer();
    }
}
