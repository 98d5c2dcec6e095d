package dev.refgateway.gateway.upstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.helidon.faulttolerance.CircuitBreaker;

import org.junit.jupiter.api.Test;

import static dev.refgateway.gateway.upstream.TestUpstreams.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstancePickerTest {

    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    private final InstancePicker picker = new InstancePicker(0);

    @Test
    void sequentialPicksGoRoundTheInstancesInIdOrder() {
        Upstream upstream = TestUpstreams.of("svc", "c", "a", "b");

        assertThat(picks(picker, upstream, 6)).containsExactly("a", "b", "c", "a", "b", "c");
    }

    @Test
    void instancesTheRequestTriedAlreadyAreSkipped() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b", "c");
        Set<String> tried = new HashSet<>();
        tried.add("a");
        tried.add("c");

        for (int i = 0; i < 5; i++) {
            assertThat(picker.pick(upstream, tried::contains, System.nanoTime()).map(InstanceState::id)).contains("b");
        }
        tried.add("b");
        assertThat(picker.pick(upstream, tried::contains, System.nanoTime())).isEmpty();
        assertThat(picker.whyNone(upstream, tried::contains, System.nanoTime()))
                .isEqualTo(InstancePicker.NoPick.NO_HEALTHY_INSTANCE);
    }

    @Test
    void anEjectedInstanceIsSkippedAndTheOthersShareItsTurnsEvenly() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b", "c");
        state(upstream, "b").eject(System.nanoTime(), MINUTE);

        List<String> picked = picks(picker, upstream, 12);

        assertThat(picked).doesNotContain("b");
        assertThat(counts(picked)).isEqualTo(Map.of("a", 6, "c", 6));
        for (int i = 1; i < picked.size(); i++) {
            assertThat(picked.get(i)).as("pick %d", i).isNotEqualTo(picked.get(i - 1));
        }
    }

    @Test
    void anEjectionThatRanOutPutsTheInstanceBackIntoTheRoundRobin() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b");
        long now = System.nanoTime();
        state(upstream, "b").eject(now, MINUTE);

        List<String> during = new ArrayList<>();
        List<String> after = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            during.add(picker.pick(upstream, id -> false, now + MINUTE - 1).orElseThrow().id());
        }
        for (int i = 0; i < 4; i++) {
            after.add(picker.pick(upstream, id -> false, now + MINUTE).orElseThrow().id());
        }

        assertThat(during).containsOnly("a");
        assertThat(after).containsExactly("a", "b", "a", "b");
    }

    @Test
    void anInstanceWithAnOpenCircuitIsSkipped() {
        Upstream upstream = TestUpstreams.withBreakers("svc", Duration.ofMinutes(1), "a", "b", "c");
        open(state(upstream, "c"));

        List<String> picked = picks(picker, upstream, 6);

        assertThat(counts(picked)).isEqualTo(Map.of("a", 3, "b", 3));
    }

    @Test
    void panicIsOffByDefault() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b", "c");
        ejectAt(upstream, "a", "b");

        assertThat(picks(picker, upstream, 6)).containsOnly("c");
    }

    @Test
    void belowThePanicThresholdEveryPassingInstanceIsPickableAgain() {
        InstancePicker panicky = new InstancePicker(50);
        Upstream upstream = TestUpstreams.withBreakers("svc", Duration.ofMinutes(1), "a", "b", "c");
        state(upstream, "a").eject(System.nanoTime(), MINUTE);
        open(state(upstream, "b"));

        // One of three eligible (33 %) is below 50 %: ejection and open circuits are ignored.
        assertThat(counts(picks(panicky, upstream, 6))).isEqualTo(Map.of("a", 2, "b", 2, "c", 2));
    }

    @Test
    void atOrAboveThePanicThresholdUnhealthyInstancesStayOut() {
        InstancePicker panicky = new InstancePicker(50);
        Upstream upstream = TestUpstreams.of("svc", "a", "b", "c", "d");
        ejectAt(upstream, "a", "b");

        // Two of four eligible is exactly 50 %: not below the threshold.
        assertThat(picks(panicky, upstream, 6)).containsOnly("c", "d");
    }

    @Test
    void inPanicARetryStillGoesToAnInstanceNotTriedYet() {
        InstancePicker panicky = new InstancePicker(50);
        Upstream upstream = TestUpstreams.of("svc", "a", "b", "c");
        ejectAt(upstream, "a", "b");
        Set<String> tried = new HashSet<>();
        tried.add("c");
        tried.add("a");

        for (int i = 0; i < 4; i++) {
            assertThat(panicky.pick(upstream, tried::contains, System.nanoTime()).map(InstanceState::id)).contains("b");
        }
    }

    @Test
    void whenEveryInstanceLeftHasItsCircuitOpenTheReasonSaysSo() {
        Upstream upstream = TestUpstreams.withBreakers("svc", Duration.ofMinutes(1), "a", "b", "c");
        open(state(upstream, "a"));
        open(state(upstream, "b"));
        state(upstream, "c").eject(System.nanoTime(), MINUTE);
        Set<String> none = Set.of();

        assertThat(picker.pick(upstream, none::contains, System.nanoTime())).isEmpty();
        assertThat(picker.whyNone(upstream, none::contains, System.nanoTime()))
                .isEqualTo(InstancePicker.NoPick.ALL_CIRCUITS_OPEN);
    }

    @Test
    void whenEveryInstanceIsEjectedOrThereIsNoneTheReasonIsNoHealthyInstance() {
        Upstream ejected = TestUpstreams.of("svc", "a", "b");
        ejectAt(ejected, "a", "b");
        Upstream empty = TestUpstreams.of("empty");
        Set<String> none = Set.of();

        assertThat(picker.pick(ejected, none::contains, System.nanoTime())).isEmpty();
        assertThat(picker.whyNone(ejected, none::contains, System.nanoTime()))
                .isEqualTo(InstancePicker.NoPick.NO_HEALTHY_INSTANCE);
        assertThat(picker.pick(empty, none::contains, System.nanoTime())).isEmpty();
        assertThat(picker.whyNone(empty, none::contains, System.nanoTime()))
                .isEqualTo(InstancePicker.NoPick.NO_HEALTHY_INSTANCE);
    }

    @Test
    void anOpenCircuitOnAnInstanceAlreadyTriedIsNotReportedAsTheReason() {
        Upstream upstream = TestUpstreams.withBreakers("svc", Duration.ofMinutes(1), "a", "b");
        open(state(upstream, "a"));
        Set<String> tried = new HashSet<>();
        tried.add("a");
        tried.add("b");

        assertThat(picker.whyNone(upstream, tried::contains, System.nanoTime()))
                .isEqualTo(InstancePicker.NoPick.NO_HEALTHY_INSTANCE);
    }

    @Test
    void eachServiceHasItsOwnRoundRobin() {
        Upstream users = TestUpstreams.of("users", "u1", "u2");
        Upstream orders = TestUpstreams.of("orders", "o1", "o2");

        List<String> picked = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            picked.add(picker.pick(users, id -> false, System.nanoTime()).orElseThrow().id());
            picked.add(picker.pick(orders, id -> false, System.nanoTime()).orElseThrow().id());
        }

        assertThat(picked).containsExactly("u1", "o1", "u2", "o2");
    }

    private static List<String> picks(InstancePicker picker, Upstream upstream, int count) {
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // a first attempt's pick, as the gateway makes it (PickFirstProperties: the same answers as pick's)
            Optional<InstanceState> state = picker.pickFirst(upstream, System.nanoTime());
            picked.add(state.orElseThrow().id());
        }
        return picked;
    }

    private static Map<String, Integer> counts(List<String> picked) {
        Map<String, Integer> counts = new TreeMap<>();
        picked.forEach(id -> counts.merge(id, 1, Integer::sum));
        return counts;
    }

    private static void ejectAt(Upstream upstream, String... ids) {
        for (String id : ids) {
            state(upstream, id).eject(System.nanoTime(), MINUTE);
        }
    }

    /** Opens the instance's breaker the way a failed call does. */
    private static void open(InstanceState state) {
        CircuitBreaker breaker = state.breaker().orElseThrow();
        assertThatThrownBy(() -> breaker.invoke(() -> {
            throw new IllegalStateException("attempt failed");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(state.isCircuitOpen()).isTrue();
    }
}
