package dev.refgateway.gateway.upstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import static dev.refgateway.gateway.upstream.TestUpstreams.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class OutlierDetectorTest {

    private static final Duration LONG = Duration.ofMinutes(5);

    private final List<String> ejections = new CopyOnWriteArrayList<>();

    @Test
    void anInstanceIsEjectedAtTheFifthFailureInARowNotBefore() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b");
        OutlierDetector detector = detector(5, LONG, LONG, 10);
        InstanceState a = state(upstream, "a");

        failures(detector, upstream, a, 4);
        assertThat(a.isEjected(System.nanoTime())).isFalse();
        assertThat(a.consecutiveFailures()).isEqualTo(4);
        assertThat(ejections).isEmpty();

        detector.onFailure(upstream, a, "status 500");

        assertThat(a.isEjected(System.nanoTime())).isTrue();
        assertThat(a.timesEjected()).isEqualTo(1);
        assertThat(a.lastError()).isEqualTo("status 500");
        assertThat(ejections).containsExactly("svc/a");
        assertThat(state(upstream, "b").isEjected(System.nanoTime())).isFalse();
    }

    @Test
    void aSuccessEndsTheFailureStreak() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b");
        OutlierDetector detector = detector(5, LONG, LONG, 10);
        InstanceState a = state(upstream, "a");

        failures(detector, upstream, a, 4);
        detector.onSuccess(a);
        failures(detector, upstream, a, 4);

        assertThat(a.consecutiveFailures()).isEqualTo(4);
        assertThat(a.isEjected(System.nanoTime())).isFalse();
        assertThat(ejections).isEmpty();

        detector.onFailure(upstream, a, "connect-failure");
        assertThat(a.isEjected(System.nanoTime())).isTrue();
    }

    @Test
    void eachEjectionLastsBaseTimesTimesEjectedCappedAtMaxAndRunsOutByItself() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b");
        Duration base = Duration.ofMillis(40);
        Duration max = Duration.ofMillis(100);
        OutlierDetector detector = detector(2, base, max, 50);
        InstanceState a = state(upstream, "a");

        for (int n = 1; n <= 4; n++) {
            long expected = Math.min(max.toNanos(), base.toNanos() * n);
            detector.onFailure(upstream, a, "status 503");
            long before = System.nanoTime();
            detector.onFailure(upstream, a, "status 503");
            long after = System.nanoTime();

            // The ejection started somewhere between before and after, so it ends between before + d and after + d.
            assertThat(a.isEjected(before + expected - 1)).as("ejection %d still on just before its end", n).isTrue();
            assertThat(a.isEjected(after + expected)).as("ejection %d over at its end", n).isFalse();
            assertThat(a.timesEjected()).isEqualTo(n);
            assertThat(ejections).hasSize(n);

            await().atMost(Duration.ofSeconds(5)).until(() -> !a.isEjected(System.nanoTime()));
            assertThat(a.ejectedUntil()).isEmpty();
        }
    }

    @Test
    void failuresOfAnEjectedInstanceDoNotEjectItAgain() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b");
        OutlierDetector detector = detector(5, LONG, LONG, 10);
        InstanceState a = state(upstream, "a");

        failures(detector, upstream, a, 5);
        failures(detector, upstream, a, 20); // requests that were in flight when it was ejected

        assertThat(a.timesEjected()).isEqualTo(1);
        assertThat(ejections).containsExactly("svc/a");
    }

    @Test
    void withTwoInstancesAtTenPercentOneMayBeEjectedButNeverBoth() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b");
        OutlierDetector detector = detector(5, LONG, LONG, 10);
        InstanceState a = state(upstream, "a");
        InstanceState b = state(upstream, "b");

        failures(detector, upstream, a, 5);
        failures(detector, upstream, b, 50);

        assertThat(a.isEjected(System.nanoTime())).isTrue();
        assertThat(b.isEjected(System.nanoTime())).isFalse();
        assertThat(b.consecutiveFailures()).isEqualTo(50);
        assertThat(ejections).containsExactly("svc/a");
    }

    @Test
    void theCapCountsOnlyEjectionsInProgress() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b");
        OutlierDetector detector = detector(5, Duration.ofMillis(1_500), Duration.ofMillis(1_500), 10);
        InstanceState a = state(upstream, "a");
        InstanceState b = state(upstream, "b");
        failures(detector, upstream, a, 5);
        failures(detector, upstream, b, 5);
        assertThat(b.isEjected(System.nanoTime())).isFalse();

        await().atMost(Duration.ofSeconds(10)).until(() -> !a.isEjected(System.nanoTime()));
        detector.onFailure(upstream, b, "status 502");

        assertThat(b.isEjected(System.nanoTime())).isTrue();
        assertThat(ejections).containsExactly("svc/a", "svc/b");
    }

    @Test
    void theCapIsAShareOfThePool() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        OutlierDetector detector = detector(1, LONG, LONG, 20);

        for (String id : List.of("a", "b", "c", "d")) {
            detector.onFailure(upstream, state(upstream, id), "timeout");
        }

        assertThat(upstream.pool().ejectedCount(System.nanoTime())).isEqualTo(2);
        assertThat(ejections).containsExactly("svc/a", "svc/b");
    }

    @Test
    void aStateCarriedOverAConsulUpdateKeepsItsEjection() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b");
        OutlierDetector detector = detector(5, LONG, LONG, 10);
        failures(detector, upstream, state(upstream, "a"), 5);

        TestUpstreams.publish(upstream, "a", "b", "c");

        assertThat(state(upstream, "a").isEjected(System.nanoTime())).isTrue();
        assertThat(state(upstream, "a").timesEjected()).isEqualTo(1);
    }

    @Test
    void concurrentFailuresOfOneInstanceEjectItOnce() throws Exception {
        int threads = 8;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int round = 0; round < 200; round++) {
                ejections.clear();
                Upstream upstream = TestUpstreams.of("svc", "a", "b");
                OutlierDetector detector = detector(1, LONG, LONG, 50);
                InstanceState a = state(upstream, "a");

                together(pool, threads, () -> detector.onFailure(upstream, a, "reset"));

                assertThat(a.timesEjected()).as("round %d", round).isEqualTo(1);
                assertThat(ejections).as("round %d", round).containsExactly("svc/a");
            }
        }
    }

    @Test
    void concurrentFailuresOfTwoInstancesNeverEjectBothWhenTheCapAllowsOne() throws Exception {
        int threads = 8;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int round = 0; round < 200; round++) {
                ejections.clear();
                Upstream upstream = TestUpstreams.of("svc", "a", "b");
                OutlierDetector detector = detector(1, LONG, LONG, 10);
                InstanceState a = state(upstream, "a");
                InstanceState b = state(upstream, "b");
                int[] next = {0};

                together(pool, threads, () -> {
                    InstanceState target;
                    synchronized (next) {
                        target = next[0]++ % 2 == 0 ? a : b;
                    }
                    detector.onFailure(upstream, target, "reset");
                });

                assertThat(upstream.pool().ejectedCount(System.nanoTime())).as("round %d", round).isEqualTo(1);
                assertThat(ejections).as("round %d", round).hasSize(1);
            }
        }
    }

    private OutlierDetector detector(int consecutiveFailures, Duration base, Duration max, int maxPercent) {
        return new OutlierDetector(new OutlierSettings(consecutiveFailures, base, max, maxPercent),
                                   (upstream, instance) -> ejections.add(upstream.service() + "/" + instance.id()));
    }

    private static void failures(OutlierDetector detector, Upstream upstream, InstanceState instance, int count) {
        for (int i = 0; i < count; i++) {
            detector.onFailure(upstream, instance, "status 500");
        }
    }

    /** Runs {@code task} on {@code threads} threads released at the same moment, and waits for all of them. */
    private static void together(ExecutorService pool, int threads, Runnable task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            done.add(pool.submit(() -> {
                start.await();
                task.run();
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
    }
}
