package dev.refgateway.gateway.upstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link InstancePicker#pickFirst}, which remembers the eligible instances between picks, against
 * {@link InstancePicker#pick}, which looks at every instance on every pick: two identical upstreams go through the
 * same random history of picks, ejections, time passing (ejections running out) and Consul answers replacing the
 * instances, and give the same answer at every pick. With circuits opening too (a change the memo learns only when
 * the instance's turn comes), every answer is still an eligible instance, and there is one whenever any is eligible.
 */
class PickFirstProperties {

    private static final List<String> IDS = List.of("i0", "i1", "i2", "i3", "i4", "i5", "i6", "i7");
    private static final long MILLI = 1_000_000L;

    private final InstancePicker picker = new InstancePicker(0);

    sealed interface Step {
    }

    record Pick() implements Step {
    }

    record Eject(int instance, int millis) implements Step {
    }

    record Advance(int millis) implements Step {
    }

    record Publish(List<Integer> instances) implements Step {
    }

    record OpenCircuit(int instance) implements Step {
    }

    @Property(tries = 1000)
    void withoutCircuitsItAnswersWhatAPassOverEveryInstanceAnswers(@ForAll("histories") List<Step> history) {
        Upstream remembered = TestUpstreams.of("svc", IDS.toArray(String[]::new));
        Upstream scanned = TestUpstreams.of("svc", IDS.toArray(String[]::new));
        long now = System.nanoTime();
        for (Step step : history) {
            switch (step) {
                case Pick pick -> assertThat(picker.pickFirst(remembered, now).map(InstanceState::id))
                        .as("after %s", history).isEqualTo(picker.pick(scanned, id -> false, now).map(InstanceState::id));
                case Eject eject -> {
                    ejectIfThere(remembered, eject, now);
                    ejectIfThere(scanned, eject, now);
                }
                case Advance advance -> now += advance.millis() * MILLI;
                case Publish publish -> {
                    TestUpstreams.publish(remembered, ids(publish));
                    TestUpstreams.publish(scanned, ids(publish));
                }
                case OpenCircuit open -> {
                }
            }
        }
    }

    @Property(tries = 1000)
    void withCircuitsOpeningEveryAnswerIsEligible(@ForAll("historiesWithCircuits") List<Step> history) {
        Upstream upstream = TestUpstreams.withBreakers("svc", Duration.ofMinutes(1), IDS.toArray(String[]::new));
        long now = System.nanoTime();
        for (Step step : history) {
            switch (step) {
                case Pick pick -> {
                    boolean anyEligible = picker.pick(upstream, id -> false, now).isPresent();
                    Optional<InstanceState> picked = picker.pickFirst(upstream, now);
                    assertThat(picked.isPresent()).as("after %s", history).isEqualTo(anyEligible);
                    if (picked.isPresent()) {
                        assertThat(picked.get().isEjected(now)).as("after %s", history).isFalse();
                        assertThat(picked.get().isCircuitOpen()).as("after %s", history).isFalse();
                    }
                }
                case Eject eject -> ejectIfThere(upstream, eject, now);
                case Advance advance -> now += advance.millis() * MILLI;
                case Publish publish -> TestUpstreams.publish(upstream, ids(publish));
                case OpenCircuit open -> {
                    InstanceState state = upstream.pool().states().get(IDS.get(open.instance()));
                    if (state != null && !state.isCircuitOpen()) {
                        assertThatThrownBy(() -> state.breaker().orElseThrow().invoke(() -> {
                            throw new IllegalStateException("attempt failed");
                        })).isInstanceOf(IllegalStateException.class);
                    }
                }
            }
        }
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        return Arbitraries.frequencyOf(
                        Tuple.of(8, Arbitraries.just(new Pick())),
                        Tuple.of(2, ejections()),
                        Tuple.of(2, Arbitraries.integers().between(1, 60).map(Advance::new)),
                        Tuple.of(1, publications()))
                .list().ofMinSize(1).ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<Step>> historiesWithCircuits() {
        return Arbitraries.frequencyOf(
                        Tuple.of(8, Arbitraries.just(new Pick())),
                        Tuple.of(2, ejections()),
                        Tuple.of(2, Arbitraries.integers().between(1, 60).map(Advance::new)),
                        Tuple.of(1, publications()),
                        Tuple.of(2, Arbitraries.integers().between(0, IDS.size() - 1)
                                .map(OpenCircuit::new)))
                .list().ofMinSize(1).ofMaxSize(60);
    }

    private static Arbitrary<Step> ejections() {
        return Combinators.combine(Arbitraries.integers().between(0, IDS.size() - 1),
                                   Arbitraries.integers().between(1, 100))
                .as(Eject::new);
    }

    private static Arbitrary<Step> publications() {
        return Arbitraries.integers().between(0, IDS.size() - 1).set().ofMaxSize(IDS.size())
                .map(set -> new Publish(new ArrayList<>(set)));
    }

    private static void ejectIfThere(Upstream upstream, Eject eject, long now) {
        InstanceState state = upstream.pool().states().get(IDS.get(eject.instance()));
        if (state != null) {
            state.eject(now, eject.millis() * MILLI);
        }
    }

    private static String[] ids(Publish publish) {
        return publish.instances().stream().sorted().map(IDS::get).toArray(String[]::new);
    }
}
