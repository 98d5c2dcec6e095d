package dev.refgateway.gateway.failover;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.refgateway.gateway.upstream.Upstream;

import io.helidon.http.Method;

/**
 * Whether a failed attempt may be tried again on another instance. The rules, in order:
 * <ol>
 *     <li>attempts left ({@code maxAttempts} counts the first one);</li>
 *     <li>nothing has gone to the client yet (the caller only asks before the response starts);</li>
 *     <li>the request body can be sent again (it was buffered whole, or none of it was read yet);</li>
 *     <li>nothing was sent (connect failure, circuit open) — safe for every method; otherwise the method is
 *     idempotent (GET, HEAD, OPTIONS, PUT, DELETE, TRACE), or it carries the route's idempotency-key header and
 *     the route declares that its instances deduplicate by it ({@code retry.idempotency-key-aware}): a key the
 *     instance ignores would make the retry create a second order;</li>
 *     <li>the retry budget: retries in flight stay under {@code budgetPercent} of active requests (at least
 *     {@code minRetriesInFlight}), so a struggling service is not hit with a retry storm.</li>
 * </ol>
 */
public final class RetryPolicy {

    private RetryPolicy() {
    }

    /** Why a retry was refused, or {@link #ALLOWED}. */
    public enum Verdict {
        ALLOWED, NO_ATTEMPTS_LEFT, BODY_NOT_REPLAYABLE, NOT_IDEMPOTENT, BUDGET_EXHAUSTED
    }

    public static Verdict decide(RetrySettings retry,
                                 int attemptsMade,
                                 FailureKind failure,
                                 Method method,
                                 boolean hasIdempotencyKey,
                                 boolean bodyReplayable,
                                 Upstream upstream) {
        if (attemptsMade >= retry.maxAttempts()) {
            return Verdict.NO_ATTEMPTS_LEFT;
        }
        if (!bodyReplayable) {
            return Verdict.BODY_NOT_REPLAYABLE;
        }
        boolean deduplicated = hasIdempotencyKey && retry.idempotencyKeyAware();
        if (failure.requestMayHaveBeenProcessed() && !isIdempotent(method) && !deduplicated) {
            return Verdict.NOT_IDEMPOTENT;
        }
        int active = upstream.activeRequests().get();
        int allowed = Math.max(retry.minRetriesInFlight(), (int) (active * retry.budgetPercent() / 100.0));
        if (upstream.activeRetries().get() >= allowed) {
            return Verdict.BUDGET_EXHAUSTED;
        }
        return Verdict.ALLOWED;
    }

    /** RFC 9110 §9.2.2 idempotent methods. */
    public static boolean isIdempotent(Method method) {
        return switch (method.text()) {
            case "GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE" -> true;
            default -> false;
        };
    }

    /**
     * Pause before retry number {@code retry} (1 for the first): full jitter over an exponential ceiling. A connect
     * failure is retried at once — nothing reached the instance and another one is waiting.
     */
    public static Duration backoff(RetrySettings settings, int retry, FailureKind failure) {
        if (failure == FailureKind.CONNECT_FAILURE || failure == FailureKind.CIRCUIT_OPEN) {
            return Duration.ZERO;
        }
        long base = settings.backoffBase().toNanos();
        long ceiling = Math.min(settings.backoffMax().toNanos(), base << Math.min(retry - 1, 16));
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }
}
