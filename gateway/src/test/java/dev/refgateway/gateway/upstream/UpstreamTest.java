package dev.refgateway.gateway.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.refgateway.discovery.InstanceSnapshot;
import dev.refgateway.discovery.ServiceInstance;

import org.junit.jupiter.api.Test;

import static dev.refgateway.gateway.upstream.TestUpstreams.state;
import static org.assertj.core.api.Assertions.assertThat;

class UpstreamTest {

    @Test
    void aConsulUpdateDoesNotForgiveAnInstanceThatStays() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b");
        InstanceState a = state(upstream, "a");
        a.recordFailure("status 500");
        a.recordFailure("status 500");
        a.eject(System.nanoTime(), Duration.ofMinutes(1).toNanos());
        a.recordFailure("timeout");

        TestUpstreams.publish(upstream, "c", "a");

        assertThat(state(upstream, "a")).isSameAs(a);
        assertThat(a.isEjected(System.nanoTime())).isTrue();
        assertThat(a.consecutiveFailures()).isEqualTo(1);
        assertThat(a.lastError()).isEqualTo("timeout");
        assertThat(upstream.pool().states()).containsOnlyKeys("a", "c");
        assertThat(upstream.pool().instances()).extracting(ServiceInstance::id).containsExactly("a", "c");
    }

    @Test
    void anInstanceThatMovedToAnotherAddressStartsAfresh() {
        Upstream upstream = TestUpstreams.of("svc", "a");
        InstanceState before = state(upstream, "a");
        before.eject(System.nanoTime(), Duration.ofMinutes(1).toNanos());
        ServiceInstance moved = new ServiceInstance("a", "svc", "127.0.0.2", 8081, List.of(), Map.of());

        upstream.onSnapshot(new InstanceSnapshot("svc", List.of(moved), 42, Instant.now()));

        InstanceState after = state(upstream, "a");
        assertThat(after).isNotSameAs(before);
        assertThat(after.instance()).isEqualTo(moved);
        assertThat(after.isEjected(System.nanoTime())).isFalse();
    }

    @Test
    void anInstanceThatLeavesAndComesBackStartsAfresh() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b");
        state(upstream, "a").eject(System.nanoTime(), Duration.ofMinutes(1).toNanos());

        TestUpstreams.publish(upstream, "b");
        TestUpstreams.publish(upstream, "a", "b");

        assertThat(state(upstream, "a").isEjected(System.nanoTime())).isFalse();
        assertThat(state(upstream, "a").timesEjected()).isZero();
    }
}
