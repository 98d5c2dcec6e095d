package dev.refgateway.discovery.balancing;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import dev.refgateway.discovery.ServiceInstance;

/**
 * Round robin over a list of candidates: each call takes the next position of one shared counter and walks forward
 * from it to the first eligible instance. The counter is a single atomic increment, so concurrent callers never
 * lock, and sequential callers alternate exactly over a stable list. Skipping ineligible instances from the
 * counter's position (rather than drawing again) means a retry never lands on an instance it excluded.
 */
final class RoundRobinLoadBalancer implements LoadBalancer {

    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Optional<ServiceInstance> choose(List<ServiceInstance> candidates, Predicate<ServiceInstance> eligible) {
        int size = candidates.size();
        if (size == 0) {
            return Optional.empty();
        }
        int start = Math.floorMod(next.getAndIncrement(), size);
        for (int i = 0; i < size; i++) {
            ServiceInstance candidate = candidates.get((start + i) % size);
            if (eligible.test(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
