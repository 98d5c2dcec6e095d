package dev.refgateway.gateway.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.refgateway.discovery.InstanceSnapshot;
import dev.refgateway.discovery.ServiceInstance;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An empty passing list that is Consul's loss (its first answer after an outage, or its index gone backwards) keeps
 * the last instances for the grace; one that is the instances' own failure (checks gone critical) is taken at once.
 */
class RestartGraceTest {

    private static final ServiceInstance A = new ServiceInstance("a", "svc", "127.0.0.1", 9001, List.of(), Map.of());
    private static final ServiceInstance B = new ServiceInstance("b", "svc", "127.0.0.1", 9002, List.of(), Map.of());

    @Test
    void anEmptyListRightAfterAnOutageKeepsTheLastInstances() {
        Upstream upstream = upstream(Duration.ofMinutes(1));
        upstream.onSnapshot(snapshot(List.of(A, B), 500, false));
        InstanceState a = upstream.pool().states().get("a");

        upstream.onSnapshot(snapshot(List.of(), 3, true));

        assertThat(upstream.inRestartGrace()).isTrue();
        assertThat(upstream.pool().instances()).containsExactly(A, B);
        assertThat(upstream.pool().states().get("a")).as("still the same state: ejection still applies").isSameAs(a);
    }

    @Test
    void anEmptyListWithConsulsIndexGoneBackwardsKeepsTheLastInstances() {
        Upstream upstream = upstream(Duration.ofMinutes(1));
        upstream.onSnapshot(snapshot(List.of(A), 500, false));

        upstream.onSnapshot(snapshot(List.of(), 12, false));

        assertThat(upstream.pool().instances()).containsExactly(A);
    }

    @Test
    void instancesFailingTheirChecksLeaveAtOnce() {
        Upstream upstream = upstream(Duration.ofMinutes(1));
        upstream.onSnapshot(snapshot(List.of(A, B), 500, false));

        upstream.onSnapshot(snapshot(List.of(), 501, false));

        assertThat(upstream.inRestartGrace()).isFalse();
        assertThat(upstream.pool().instances()).isEmpty();
    }

    @Test
    void theGraceEndsWhenConsulListsInstancesAgain() {
        Upstream upstream = upstream(Duration.ofMinutes(1));
        upstream.onSnapshot(snapshot(List.of(A, B), 500, false));
        upstream.onSnapshot(snapshot(List.of(), 3, true));
        upstream.onSnapshot(snapshot(List.of(), 4, false));

        assertThat(upstream.pool().instances()).as("still in the grace").containsExactly(A, B);

        upstream.onSnapshot(snapshot(List.of(B), 9, false));

        assertThat(upstream.inRestartGrace()).isFalse();
        assertThat(upstream.pool().instances()).containsExactly(B);
    }

    @Test
    void whenTheGraceRunsOutTheEmptyListIsTaken() {
        Upstream upstream = upstream(Duration.ofMillis(200));
        upstream.onSnapshot(snapshot(List.of(A), 500, false));
        upstream.onSnapshot(snapshot(List.of(), 3, true));

        assertThat(upstream.pool().instances()).containsExactly(A);
        await().atMost(Duration.ofSeconds(5)).until(() -> upstream.pool().instances().isEmpty());
        assertThat(upstream.inRestartGrace()).isFalse();
    }

    @Test
    void aZeroGraceTakesEveryListAsItComes() {
        Upstream upstream = upstream(Duration.ZERO);
        upstream.onSnapshot(snapshot(List.of(A), 500, false));

        upstream.onSnapshot(snapshot(List.of(), 3, true));

        assertThat(upstream.pool().instances()).isEmpty();
    }

    @Test
    void aStaticListFeedsTheUpstreamAtOnce() {
        StaticInstances source = new StaticInstances("svc", List.of("127.0.0.1:9001", "[::1]:9002"));
        Upstream upstream = new Upstream("svc", source, Duration.ofMinutes(1), instance -> Optional.empty(),
                                         Optional.empty());

        assertThat(upstream.pool().instances()).extracting(ServiceInstance::authority)
                .containsExactly("127.0.0.1:9001", "[::1]:9002");
        assertThat(source.everyInstance()).containsOnlyKeys("127.0.0.1:9001", "[::1]:9002");
        assertThat(source.hasSnapshot()).isTrue();
    }

    private static Upstream upstream(Duration grace) {
        return new Upstream("svc", null, grace, instance -> Optional.empty(), Optional.empty());
    }

    private static InstanceSnapshot snapshot(List<ServiceInstance> instances, long index, boolean afterOutage) {
        return new InstanceSnapshot("svc", instances, index, Instant.now(), afterOutage);
    }
}
