package dev.refgateway.gateway.failover;

import java.time.Duration;
import java.util.Set;

import dev.refgateway.gateway.failover.RetryPolicy.Verdict;
import dev.refgateway.gateway.upstream.TestUpstreams;
import dev.refgateway.gateway.upstream.Upstream;

import io.helidon.http.Method;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

    /**
     * The defaults (three attempts, 25–250 ms back-off, budget 20 %) but at least 3 retries in flight instead of 32,
     * so that the budget's share shows with small numbers.
     */
    private static final RetrySettings DEFAULTS = new RetrySettings(3, Duration.ofMillis(25), Duration.ofMillis(250),
                                                                    Set.of(502, 503, 504), "Idempotency-Key", 20.0, 3);

    private final Upstream upstream = TestUpstreams.of("svc", "a", "b");

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "POST", "PATCH"})
    void aConnectFailureIsRetriedForEveryMethodEvenWithoutIdempotencyKey(String method) {
        assertThat(decide(1, FailureKind.CONNECT_FAILURE, method, false, true)).isEqualTo(Verdict.ALLOWED);
        assertThat(decide(1, FailureKind.CIRCUIT_OPEN, method, false, true)).isEqualTo(Verdict.ALLOWED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
    void afterTheRequestMayHaveReachedTheInstanceIdempotentMethodsAreRetried(String method) {
        for (FailureKind failure : Set.of(FailureKind.TIMEOUT, FailureKind.RESET, FailureKind.RETRYABLE_STATUS)) {
            assertThat(decide(1, failure, method, false, true)).as("%s after %s", method, failure)
                    .isEqualTo(Verdict.ALLOWED);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PATCH"})
    void afterTheRequestMayHaveReachedTheInstancePostAndPatchAreRetriedOnlyWithAKeyTheRouteSaysIsHonoured(
            String method) {
        RetrySettings aware = new RetrySettings(3, Duration.ofMillis(25), Duration.ofMillis(250),
                                                Set.of(502, 503, 504), "Idempotency-Key", 20.0, 3, true);
        for (FailureKind failure : Set.of(FailureKind.TIMEOUT, FailureKind.RESET, FailureKind.INVALID_RESPONSE,
                                          FailureKind.RETRYABLE_STATUS)) {
            assertThat(decide(1, failure, method, false, true)).as("%s after %s without key", method, failure)
                    .isEqualTo(Verdict.NOT_IDEMPOTENT);
            // a key alone proves nothing: the instance may ignore it and create a second order
            assertThat(decide(1, failure, method, true, true)).as("%s after %s with key", method, failure)
                    .isEqualTo(Verdict.NOT_IDEMPOTENT);
            assertThat(RetryPolicy.decide(aware, 1, failure, Method.create(method), true, true, upstream))
                    .as("%s after %s with key, route idempotency-key-aware", method, failure)
                    .isEqualTo(Verdict.ALLOWED);
            assertThat(RetryPolicy.decide(aware, 1, failure, Method.create(method), false, true, upstream))
                    .as("%s after %s without key, route idempotency-key-aware", method, failure)
                    .isEqualTo(Verdict.NOT_IDEMPOTENT);
        }
    }

    @Test
    void maxAttemptsCountsTheFirstAttempt() {
        assertThat(decide(2, FailureKind.CONNECT_FAILURE, "GET", false, true)).isEqualTo(Verdict.ALLOWED);
        assertThat(decide(3, FailureKind.CONNECT_FAILURE, "GET", false, true)).isEqualTo(Verdict.NO_ATTEMPTS_LEFT);

        RetrySettings once = new RetrySettings(1, Duration.ofMillis(25), Duration.ofMillis(250), Set.of(503),
                                               "Idempotency-Key", 20.0, 3);
        assertThat(RetryPolicy.decide(once, 1, FailureKind.CONNECT_FAILURE, Method.GET, false, true, upstream))
                .isEqualTo(Verdict.NO_ATTEMPTS_LEFT);
    }

    @ParameterizedTest
    @EnumSource(FailureKind.class)
    void aBodyThatCannotBeSentAgainIsNeverRetried(FailureKind failure) {
        assertThat(decide(1, failure, "PUT", true, false)).isEqualTo(Verdict.BODY_NOT_REPLAYABLE);
    }

    @Test
    void atLeastMinRetriesInFlightAreAllowedWhateverTheShare() {
        upstream.activeRequests().set(5); // 20 % of 5 is 1, the minimum of 3 wins

        upstream.activeRetries().set(2);
        assertThat(decide(1, FailureKind.TIMEOUT, "GET", false, true)).isEqualTo(Verdict.ALLOWED);
        upstream.activeRetries().set(3);
        assertThat(decide(1, FailureKind.TIMEOUT, "GET", false, true)).isEqualTo(Verdict.BUDGET_EXHAUSTED);
        assertThat(decide(1, FailureKind.CONNECT_FAILURE, "GET", false, true)).isEqualTo(Verdict.BUDGET_EXHAUSTED);
    }

    @Test
    void underLoadRetriesInFlightStayUnderTheBudgetShareOfActiveRequests() {
        upstream.activeRequests().set(100); // 20 % of 100 = 20 retries in flight

        upstream.activeRetries().set(19);
        assertThat(decide(1, FailureKind.RETRYABLE_STATUS, "GET", false, true)).isEqualTo(Verdict.ALLOWED);
        upstream.activeRetries().set(20);
        assertThat(decide(1, FailureKind.RETRYABLE_STATUS, "GET", false, true)).isEqualTo(Verdict.BUDGET_EXHAUSTED);
    }

    @Test
    void byDefaultEveryRequestInFlightOnADyingInstanceMayRetry() {
        // An instance killed under 32 connections: every request on it fails at once and each needs its retry.
        upstream.activeRequests().set(32);
        upstream.activeRetries().set(31);

        assertThat(RetryPolicy.decide(RetrySettings.defaults(), 1, FailureKind.RESET, Method.GET, false, true,
                                      upstream)).isEqualTo(Verdict.ALLOWED);
        upstream.activeRetries().set(32);
        assertThat(RetryPolicy.decide(RetrySettings.defaults(), 1, FailureKind.RESET, Method.GET, false, true,
                                      upstream)).isEqualTo(Verdict.BUDGET_EXHAUSTED);
    }

    @Test
    void withNoMinimumAQuietServiceGetsNoRetries() {
        RetrySettings noMinimum = new RetrySettings(3, Duration.ofMillis(25), Duration.ofMillis(250), Set.of(503),
                                                    "Idempotency-Key", 20.0, 0);
        upstream.activeRequests().set(4); // 20 % of 4 rounds down to 0

        assertThat(RetryPolicy.decide(noMinimum, 1, FailureKind.CONNECT_FAILURE, Method.GET, false, true, upstream))
                .isEqualTo(Verdict.BUDGET_EXHAUSTED);
    }

    @Test
    void idempotentMethodsAreThoseOfRfc9110() {
        for (String method : new String[] {"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"}) {
            assertThat(RetryPolicy.isIdempotent(Method.create(method))).as(method).isTrue();
        }
        for (String method : new String[] {"POST", "PATCH", "CONNECT", "PURGE"}) {
            assertThat(RetryPolicy.isIdempotent(Method.create(method))).as(method).isFalse();
        }
    }

    @Test
    void backOffIsFullJitterUnderAnExponentialCeilingCappedAtMax() {
        for (int retry = 1; retry <= 8; retry++) {
            long ceiling = Math.min(250, 25L << (retry - 1));
            long longest = 0;
            for (int i = 0; i < 2_000; i++) {
                Duration pause = RetryPolicy.backoff(DEFAULTS, retry, FailureKind.TIMEOUT);
                assertThat(pause).as("retry %d", retry).isBetween(Duration.ZERO, Duration.ofMillis(ceiling));
                longest = Math.max(longest, pause.toNanos());
            }
            // 2 000 uniform draws all in the lower half of the range would mean the range is not what it claims.
            assertThat(longest).as("longest pause before retry %d", retry)
                    .isGreaterThan(Duration.ofMillis(ceiling).toNanos() / 2);
        }
    }

    @ParameterizedTest
    @EnumSource(value = FailureKind.class, names = {"CONNECT_FAILURE", "CIRCUIT_OPEN"})
    void nothingReachedTheInstanceSoTheNextOneIsTriedAtOnce(FailureKind failure) {
        for (int retry = 1; retry <= 5; retry++) {
            assertThat(RetryPolicy.backoff(DEFAULTS, retry, failure)).isZero();
        }
    }

    private Verdict decide(int attemptsMade, FailureKind failure, String method, boolean idempotencyKey,
                           boolean replayable) {
        return RetryPolicy.decide(DEFAULTS, attemptsMade, failure, Method.create(method), idempotencyKey, replayable,
                                  upstream);
    }
}
