package dev.refgateway.discovery.balancing;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import dev.refgateway.discovery.ServiceInstance;

/**
 * Round robin over a list of candidates. Each call takes the next position of one shared counter and picks the
 * (position mod eligible)-th of the eligible candidates: the counter is a single atomic increment, so concurrent
 * callers never lock, sequential callers alternate exactly over a stable list, and an excluded instance's turn is
 * spread over all the others. (Walking on from the position to the next eligible candidate would hand the excluded
 * instance's whole share to its successor, which would then take twice as much as everyone else.)
 */
final class RoundRobinLoadBalancer implements LoadBalancer {

    private final AtomicInteger next = new AtomicInteger();

    /** Every candidate eligible: the same answer as the two passes below, in O(1). */
    @Override
    public Optional<ServiceInstance> choose(List<ServiceInstance> candidates) {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size())));
    }

    @Override
    public Optional<ServiceInstance> choose(List<ServiceInstance> candidates, Predicate<ServiceInstance> eligible) {
        int eligibleCount = 0;
        for (ServiceInstance candidate : candidates) {
            if (eligible.test(candidate)) {
                eligibleCount++;
            }
        }
        if (eligibleCount == 0) {
            return Optional.empty();
        }
        int skip = Math.floorMod(next.getAndIncrement(), eligibleCount);
        ServiceInstance firstEligible = null;
        for (ServiceInstance candidate : candidates) {
            if (eligible.test(candidate)) {
                if (skip-- == 0) {
                    return Optional.of(candidate);
                }
                if (firstEligible == null) {
                    firstEligible = candidate;
                }
            }
        }
        // A candidate stopped being eligible between the two passes (ejected, circuit opened): take the first left.
        return Optional.ofNullable(firstEligible);
    }
}
