package dev.refgateway.discovery.balancing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.refgateway.discovery.ServiceInstance;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoundRobinLoadBalancerTest {

    private static final ServiceInstance A = instance("a");
    private static final ServiceInstance B = instance("b");
    private static final ServiceInstance C = instance("c");

    @Test
    void sequentialCallsAlternateExactly() {
        LoadBalancer balancer = LoadBalancer.roundRobin();
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            picked.add(balancer.choose(List.of(A, B)).orElseThrow().id());
        }
        assertThat(picked).containsExactly("a", "b", "a", "b", "a", "b");
    }

    @Test
    void excludedInstancesAreNeverChosen() {
        LoadBalancer balancer = LoadBalancer.roundRobin();
        for (int i = 0; i < 10; i++) {
            assertThat(balancer.choose(List.of(A, B, C), Set.of("a", "c"))).contains(B);
        }
    }

    @Test
    void nothingWhenEveryInstanceIsExcludedOrTheListIsEmpty() {
        LoadBalancer balancer = LoadBalancer.roundRobin();
        assertThat(balancer.choose(List.of(A, B), Set.of("a", "b"))).isEmpty();
        assertThat(balancer.choose(List.of())).isEmpty();
    }

    @Test
    void anIneligibleInstancesTurnIsSharedEvenlyByTheOthers() {
        LoadBalancer balancer = LoadBalancer.roundRobin();
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            picked.add(balancer.choose(List.of(A, B, C), instance -> !instance.id().equals("b")).orElseThrow().id());
        }
        // Not a, c, c, a, c, c: b's turns must not all go to its successor.
        assertThat(picked).containsExactly("a", "c", "a", "c", "a", "c");
    }

    @Test
    void concurrentCallersShareTheLoadEvenly() throws Exception {
        LoadBalancer balancer = LoadBalancer.roundRobin();
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        int threads = 8;
        int perThread = 3_000;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String id = balancer.choose(List.of(A, B, C)).orElseThrow().id();
                        counts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                    }
                });
            }
        }
        // One atomic counter hands out positions: every instance gets exactly a third.
        assertThat(counts).hasSize(3);
        counts.values().forEach(count -> assertThat(count.get()).isEqualTo(threads * perThread / 3));
    }

    private static ServiceInstance instance(String id) {
        return new ServiceInstance(id, "svc", "127.0.0.1", 8000 + id.charAt(0), List.of(), Map.of());
    }
}
