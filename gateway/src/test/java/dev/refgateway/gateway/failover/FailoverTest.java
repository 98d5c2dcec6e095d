package dev.refgateway.gateway.failover;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.refgateway.gateway.problem.GatewayProblem;
import dev.refgateway.gateway.relay.UpstreamResponse;
import dev.refgateway.gateway.upstream.InstancePicker;
import dev.refgateway.gateway.upstream.InstanceState;
import dev.refgateway.gateway.upstream.OutlierDetector;
import dev.refgateway.gateway.upstream.OutlierSettings;
import dev.refgateway.gateway.upstream.TestUpstreams;
import dev.refgateway.gateway.upstream.Upstream;

import io.helidon.http.Method;
import io.helidon.http.WritableHeaders;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The attempt loop against instances that fail on cue — no Consul, no sockets, milliseconds per test. Each
 * instance's behaviour is scripted per attempt; the loop's choices (which instance next, retry or stop, which answer
 * the client gets) are what is checked.
 */
class FailoverTest {

    private static final RetrySettings RETRY = new RetrySettings(3, Duration.ZERO, Duration.ZERO,
                                                                 Set.of(502, 503, 504), "Idempotency-Key", 20.0, 3);
    private static final RoutePolicy POLICY = new RoutePolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), RETRY);

    private final List<String> events = new ArrayList<>();
    private final Map<String, Integer> ejections = new ConcurrentHashMap<>();

    @Test
    void aRefusedConnectionIsRetriedAtOnceOnTheOtherInstanceForAnyMethod() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b");
        Script script = new Script().then(Script.REFUSE).then(201);

        Failover.Result result = run(upstream, Method.POST, script, false);

        assertThat(answeredBy(result)).isEqualTo(201);
        assertThat(script.tried).hasSize(2).doesNotHaveDuplicates();
        assertThat(script.attempts.toString()).contains(";result=connect-failure").contains(";result=201");
        assertThat(events).containsExactly("attempt connect-failure", "retry", "attempt 201");
    }

    @Test
    void aTimeoutIsRetriedForAGetButNotForAPostWithoutAKeyTheRouteHonours() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b");

        Script getScript = new Script().then(Script.TIME_OUT).then(200);
        Script postScript = new Script().then(Script.TIME_OUT).then(201);
        Failover.Result get = run(upstream, Method.GET, getScript, false);
        // with a key, but on a route that does not say its instances honour it
        Failover.Result post = run(TestUpstreams.of("svc", "a", "b"), Method.POST, postScript, true);

        assertThat(answeredBy(get)).isEqualTo(200);
        assertThat(getScript.tried).hasSize(2).doesNotHaveDuplicates();
        assertThat(refusal(post)).isEqualTo(GatewayProblem.UPSTREAM_TIMEOUT);
        assertThat(postScript.tried).hasSize(1);
    }

    @Test
    void aPostWithAKeyIsRetriedAfterATimeoutOnlyOnARouteThatSaysItsInstancesHonourIt() {
        RetrySettings aware = new RetrySettings(3, Duration.ZERO, Duration.ZERO, Set.of(502, 503, 504),
                                                "Idempotency-Key", 20.0, 3, true);
        Script script = new Script().then(Script.TIME_OUT).then(201);
        Failover failover = failover(0);

        Failover.Result result = failover.run(new Failover.Plan(TestUpstreams.of("svc", "a", "b"), Method.POST,
                                                                new RoutePolicy(Duration.ofSeconds(2),
                                                                                Duration.ofSeconds(1), aware),
                                                                true, () -> true),
                                              script, script.attempts);

        assertThat(answeredBy(result)).isEqualTo(201);
        assertThat(script.tried).hasSize(2);
    }

    @Test
    void whenEveryInstanceAnswers503TheClientGetsTheLastInstancesOwnAnswer() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b");
        Script script = new Script().then(503).then(503);

        Failover.Result result = run(upstream, Method.GET, script, false);

        assertThat(answeredBy(result)).isEqualTo(503);
        assertThat(((Failover.Result.Answered) result).from().id()).isEqualTo(script.tried.getLast());
        assertThat(script.tried).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void aBrokenConnectionAfterEveryAttemptIsA502NamingTheAttempts() {
        Script script = new Script().then(Script.RESET).then(Script.RESET);

        Failover.Result result = run(TestUpstreams.of("svc", "a", "b"), Method.GET, script, false);

        assertThat(refusal(result)).isEqualTo(GatewayProblem.BAD_UPSTREAM_RESPONSE);
        assertThat(((Failover.Result.Refused) result).refusal().detail()).contains("2 attempt(s)");
    }

    @Test
    void noRetryWhenTheBudgetIsSpent() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b");
        upstream.activeRetries().set(3);   // the minimum in flight is 3 and the share of 0 active requests is 0

        Failover.Result result = run(upstream, Method.GET, new Script().then(Script.RESET).then(200), false);

        assertThat(refusal(result)).isEqualTo(GatewayProblem.BAD_UPSTREAM_RESPONSE);
    }

    @Test
    void everyInstanceEjectedIsAFast503WithRetryAfter() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b");
        long now = System.nanoTime();
        for (String id : List.of("a", "b")) {
            TestUpstreams.state(upstream, id).eject(now, Duration.ofMinutes(1).toNanos());
        }
        Script script = new Script();

        Failover.Result result = run(upstream, Method.GET, script, false);

        assertThat(refusal(result)).isEqualTo(GatewayProblem.NO_HEALTHY_UPSTREAM);
        assertThat(((Failover.Result.Refused) result).refusal().headers())
                .anySatisfy(h -> assertThat(h.name()).isEqualTo("Retry-After"));
        assertThat(script.tried).isEmpty();
    }

    @Test
    void inPanicModeEjectedInstancesAreTriedRatherThanNone() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b");
        long now = System.nanoTime();
        for (String id : List.of("a", "b")) {
            TestUpstreams.state(upstream, id).eject(now, Duration.ofMinutes(1).toNanos());
        }
        Script script = new Script().then(200).then(200);

        Failover.Result result = failover(50).run(plan(upstream, Method.GET, false), script, script.attempts);

        assertThat(answeredBy(result)).isEqualTo(200);
    }

    @Test
    void fiveFailuresInARowEjectTheInstance() {
        Upstream upstream = TestUpstreams.of("svc", "a");
        for (int i = 0; i < 5; i++) {
            run(upstream, Method.GET, new Script().then(Script.RESET), false);
        }

        assertThat(ejections).containsEntry("a", 1);
        assertThat(TestUpstreams.state(upstream, "a").isEjected(System.nanoTime())).isTrue();
    }

    @Test
    void theRoutesDeadlineEndsTheLoopWithA504() {
        RoutePolicy tight = new RoutePolicy(Duration.ofMillis(150), Duration.ofMillis(100), RETRY);
        Script script = new Script().then(Script.SLOW).then(Script.SLOW).then(Script.SLOW);
        long started = System.nanoTime();

        Failover.Result result = failover(0).run(new Failover.Plan(TestUpstreams.of("svc", "a", "b", "c"),
                                                                   Method.GET, tight, false, () -> true),
                                                 script, script.attempts);

        assertThat(refusal(result)).isEqualTo(GatewayProblem.UPSTREAM_TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        // every attempt got at most what was left of the deadline
        assertThat(script.readTimeouts).allSatisfy(t -> assertThat(t).isLessThanOrEqualTo(Duration.ofMillis(100)));
    }

    @Test
    void aClientWhoseBodyCannotBeReadEndsTheLoopAndCountsAgainstNoInstance() {
        Upstream upstream = TestUpstreams.of("svc", "a", "b");
        Script script = new Script().then(Script.CLIENT_GONE).then(Script.CLIENT_GONE);

        assertThatThrownBy(() -> run(upstream, Method.POST, script, false)).isInstanceOf(ClientBodyFailure.class);
        assertThat(script.tried).hasSize(1);
        assertThat(TestUpstreams.state(upstream, script.tried.getFirst()).consecutiveFailures()).isZero();
    }

    @Test
    void aBodyThatCannotBeSentAgainIsNotRetried() {
        Script script = new Script().then(Script.RESET).then(200);

        Failover.Result result = failover(0).run(new Failover.Plan(TestUpstreams.of("svc", "a", "b"), Method.PUT,
                                                                   POLICY, false, () -> false),
                                                 script, script.attempts);

        assertThat(refusal(result)).isEqualTo(GatewayProblem.BAD_UPSTREAM_RESPONSE);
        assertThat(script.tried).hasSize(1);
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private Failover.Result run(Upstream upstream, Method method, Script script, boolean key) {
        return failover(0).run(plan(upstream, method, key), script, script.attempts);
    }

    private static Failover.Plan plan(Upstream upstream, Method method, boolean key) {
        return new Failover.Plan(upstream, method, POLICY, key, () -> true);
    }

    private Failover failover(int panicPercent) {
        OutlierDetector outliers = new OutlierDetector(new OutlierSettings(5, Duration.ofSeconds(30),
                                                                           Duration.ofMinutes(5), 100),
                (upstream, instance) -> ejections.merge(instance.id(), 1, Integer::sum));
        return new Failover(new InstancePicker(panicPercent), outliers, new Failover.Events() {
            @Override
            public void attempt(String service, String instance, String result) {
                events.add("attempt " + result);
            }

            @Override
            public void retry(String service, String instance) {
                events.add("retry");
            }
        }, Duration.ofSeconds(1));
    }

    private static int answeredBy(Failover.Result result) {
        assertThat(result).isInstanceOf(Failover.Result.Answered.class);
        return ((Failover.Result.Answered) result).response().status();
    }

    private static GatewayProblem refusal(Failover.Result result) {
        assertThat(result).isInstanceOf(Failover.Result.Refused.class);
        return ((Failover.Result.Refused) result).refusal().problem();
    }

    /** Instances that behave, attempt after attempt, as the test says. */
    private static final class Script implements Failover.Sender {
        static final int REFUSE = -1;
        static final int TIME_OUT = -2;
        static final int RESET = -3;
        static final int SLOW = -4;
        static final int CLIENT_GONE = -5;

        final List<Integer> plan = new ArrayList<>();
        final List<String> tried = new ArrayList<>();
        final List<Duration> readTimeouts = new ArrayList<>();
        final AttemptLog attempts = new AttemptLog();

        /** The next attempt, whichever instance it goes to, behaves so (then 200 when the script runs out). */
        Script then(int behaviour) {
            plan.add(behaviour);
            return this;
        }

        @Override
        public UpstreamResponse send(InstanceState target, Duration readTimeout) throws IOException {
            String id = target.id();
            tried.add(id);
            readTimeouts.add(readTimeout);
            int behaviour = plan.isEmpty() ? 200 : plan.removeFirst();
            return switch (behaviour) {
                case REFUSE -> throw new ConnectException("Connection refused");
                case TIME_OUT -> throw new SocketTimeoutException("Read timed out");
                case RESET -> throw new SocketException("Connection reset");
                case SLOW -> {
                    try {
                        Thread.sleep(readTimeout);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new SocketTimeoutException("Read timed out");
                }
                case CLIENT_GONE -> throw new ClientBodyFailure(new UncheckedIOException(new IOException("gone")));
                default -> UpstreamResponse.inMemory(behaviour, WritableHeaders.create(), new byte[0]);
            };
        }
    }
}
