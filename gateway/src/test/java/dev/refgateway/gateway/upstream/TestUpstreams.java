package dev.refgateway.gateway.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.refgateway.discovery.InstanceSnapshot;
import dev.refgateway.discovery.ServiceInstance;

import io.helidon.faulttolerance.CircuitBreaker;

/**
 * Upstreams without Consul, for unit tests of picking, ejection and retry decisions: the pool is set by hand, as the
 * watch would set it. Instances are named by the test and sit on made-up ports; nothing listens there.
 */
public final class TestUpstreams {

    private TestUpstreams() {
    }

    /** An upstream of {@code service} whose pool holds {@code ids}, without circuit breakers or bulkhead. */
    public static Upstream of(String service, String... ids) {
        return of(service, instance -> Optional.empty(), ids);
    }

    /** An upstream whose instances each get a breaker from {@code breakers}. */
    public static Upstream of(String service,
                              Function<ServiceInstance, Optional<CircuitBreaker>> breakers,
                              String... ids) {
        Upstream upstream = new Upstream(service, null, Duration.ZERO, breakers, Optional.empty());
        publish(upstream, ids);
        return upstream;
    }

    /** An upstream whose instances each have a breaker that opens as soon as one call failed. */
    public static Upstream withBreakers(String service, Duration openFor, String... ids) {
        return of(service, instance -> Optional.of(CircuitBreaker.builder()
                                                           .name("test-" + instance.id())
                                                           .volume(1)
                                                           .errorRatio(100)
                                                           .delay(openFor)
                                                           .successThreshold(1)
                                                           .build()), ids);
    }

    /** Replaces the passing set, as a Consul update does (surviving instances keep their state). */
    public static void publish(Upstream upstream, String... ids) {
        List<ServiceInstance> instances = new ArrayList<>();
        for (String id : ids) {
            instances.add(instance(upstream.service(), id));
        }
        upstream.onSnapshot(new InstanceSnapshot(upstream.service(), instances, instances.size() + 1L,
                                                 Instant.now()));
    }

    /** The state of instance {@code id}. */
    public static InstanceState state(Upstream upstream, String id) {
        InstanceState state = upstream.pool().states().get(id);
        if (state == null) {
            throw new IllegalArgumentException("id: " + id + " (expected: one of " + upstream.pool().states().keySet()
                    + ")");
        }
        return state;
    }

    /** An instance as Consul would list it; the port depends on the id only, so a re-published id is unchanged. */
    public static ServiceInstance instance(String service, String id) {
        int port = 20_000 + Math.floorMod(id.hashCode(), 10_000);
        return new ServiceInstance(id, service, "127.0.0.1", port, List.of(), Map.of("version", "test"));
    }
}
