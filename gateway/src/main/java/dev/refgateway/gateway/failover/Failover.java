package dev.refgateway.gateway.failover;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import dev.refgateway.gateway.problem.GatewayProblem;
import dev.refgateway.gateway.problem.Refusal;
import dev.refgateway.gateway.relay.UpstreamResponse;
import dev.refgateway.gateway.upstream.InstancePicker;
import dev.refgateway.gateway.upstream.InstanceState;
import dev.refgateway.gateway.upstream.OutlierDetector;
import dev.refgateway.gateway.upstream.Upstream;

import io.helidon.faulttolerance.CircuitBreaker;
import io.helidon.http.Method;

/**
 * The attempt loop: one request tried on instance after instance until one answers, or the rules say stop.
 * <pre>
 * pick (round robin over passing ∩ not ejected ∩ circuit closed ∩ not tried yet)
 *   → send through the instance's circuit breaker, the read timeout = min(per-try timeout, time left)
 *   → an answer: relay it — unless its status is one the route retries on (502/503/504)
 *   → a failure (connect / reset / timeout / invalid answer / retryable status): the outlier detector counts it;
 *     retry when {@link RetryPolicy} allows it and the route's deadline has not passed, after a jittered back-off
 * nothing to pick: 503 (+ Retry-After); attempts exhausted: 502 (connect, reset, invalid) or 504 (timeout)
 * </pre>
 * A retryable answer is kept until another instance is really tried: if none is left, the client gets that
 * instance's own answer rather than one made up by the gateway. A failure to read the client's body
 * ({@link ClientBodyFailure}) is not the instance's fault: it ends the loop at once and counts against nobody.
 */
public final class Failover {

    /** What failover needs to know of one request. */
    public record Plan(Upstream upstream, Method method, RoutePolicy policy, boolean hasIdempotencyKey,
                       BooleanSupplier bodyReplayable) {
    }

    /** Sends the request to one instance and reads its answer's head; throws when the exchange fails. */
    @FunctionalInterface
    public interface Sender {
        UpstreamResponse send(InstanceState target, Duration readTimeout) throws IOException;
    }

    /** How failover ended: an answer to relay, or a refusal to render. */
    public sealed interface Result {
        /** An instance answered; relay this (from {@code from}). */
        record Answered(UpstreamResponse response, InstanceState from) implements Result {
        }

        /** No instance gave a usable answer. */
        record Refused(Refusal refusal) implements Result {
        }
    }

    /** What the metrics want to know. */
    public interface Events {
        /** One attempt ended with {@code result} (a status code or a failure label). */
        void attempt(String service, String instance, String result);

        /** An attempt that retried a failed one starts on {@code instance}. */
        void retry(String service, String instance);
    }

    private final InstancePicker picker;
    private final OutlierDetector outliers;
    private final Events events;
    private final long retryAfterSeconds;

    /**
     * @param picker     chooses the next instance
     * @param outliers   counts failures, ejects instances
     * @param events     metrics
     * @param retryAfter the {@code Retry-After} of a 503 when no instance is available
     */
    public Failover(InstancePicker picker, OutlierDetector outliers, Events events, Duration retryAfter) {
        this.picker = picker;
        this.outliers = outliers;
        this.events = events;
        this.retryAfterSeconds = Math.max(1, retryAfter.toSeconds());
    }

    /** Tries instances for one request until it is answered or refused. */
    public Result run(Plan plan, Sender sender, AttemptLog attempts) {
        Upstream upstream = plan.upstream();
        RetrySettings retry = plan.policy().retry();
        long deadline = System.nanoTime() + plan.policy().timeout().toNanos();
        TriedInstances tried = new TriedInstances();
        FailureKind lastFailure = null;
        UpstreamResponse pending = null;
        InstanceState pendingFrom = null;
        try {
            while (true) {
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    return pending != null ? answered(pending, pendingFrom) : timedOut(plan);
                }
                Optional<InstanceState> picked = tried.size() == 0
                        ? picker.pickFirst(upstream, now) : picker.pick(upstream, tried::contains, now);
                if (picked.isEmpty()) {
                    return pending != null ? answered(pending, pendingFrom)
                            : noInstanceLeft(plan, tried, now, lastFailure, attempts);
                }
                if (pending != null) {
                    pending.close();
                    pending = null;
                }
                InstanceState target = picked.get();
                tried.add(target.id());
                Duration readTimeout = Duration.ofNanos(Math.min(plan.policy().perTryTimeout().toNanos(),
                                                                 deadline - now));
                Attempt attempt = attempt(plan, target, sender, readTimeout, attempts);
                if (attempt.response != null && !attempt.retryableStatus) {
                    return answered(attempt.response, target);
                }
                FailureKind failure = attempt.response != null ? FailureKind.RETRYABLE_STATUS : attempt.failure;
                lastFailure = failure;
                RetryPolicy.Verdict verdict = RetryPolicy.decide(retry, attempts.count(), failure, plan.method(),
                                                                 plan.hasIdempotencyKey(),
                                                                 plan.bodyReplayable().getAsBoolean(), upstream);
                if (verdict != RetryPolicy.Verdict.ALLOWED) {
                    // The instance's own answer (a 503 with its own body, say) is more useful than ours.
                    return attempt.response != null ? answered(attempt.response, target)
                            : afterAttempts(plan, failure, attempts);
                }
                if (attempt.response != null) {
                    pending = attempt.response;
                    pendingFrom = target;
                }
                Duration pause = RetryPolicy.backoff(retry, attempts.count(), failure);
                if (!pause.isZero() && !sleepUntil(pause, deadline)) {
                    return pending != null ? answered(pending, pendingFrom) : timedOut(plan);
                }
            }
        } catch (RuntimeException e) {
            if (pending != null) {
                pending.close();
            }
            throw e;
        }
    }

    /** One try on one instance, through its circuit breaker. Never throws for the instance's failures. */
    private Attempt attempt(Plan plan, InstanceState target, Sender sender, Duration readTimeout,
                            AttemptLog attempts) {
        Upstream upstream = plan.upstream();
        boolean isRetry = attempts.count() > 0;
        if (isRetry) {
            events.retry(upstream.service(), target.id());
            upstream.activeRetries().incrementAndGet();
        }
        target.attemptStarted();
        try {
            UpstreamResponse response = throughBreaker(target, sender, readTimeout);
            int status = response.status();
            if (status >= 500) {
                outliers.onFailure(upstream, target, "status " + status);
            } else {
                outliers.onSuccess(target);
            }
            return answer(plan, target, response, attempts);
        } catch (UpstreamStatusFailure e) {
            // A 5xx, already counted by the breaker; the outlier detector counts it here.
            outliers.onFailure(upstream, target, "status " + e.response().status());
            return answer(plan, target, e.response(), attempts);
        } catch (RuntimeException e) {
            ClientBodyFailure clientSide = ClientBodyFailure.find(e);
            if (clientSide != null) {
                attempts.record(target.id(), "client-body-failure");
                throw clientSide;
            }
            FailureKind kind = FailureClassifier.classify(e);
            if (kind != FailureKind.CIRCUIT_OPEN) {
                outliers.onFailure(upstream, target, kind.label());
            }
            attempts.record(target.id(), kind.label());
            events.attempt(upstream.service(), target.id(), kind.label());
            return new Attempt(null, kind, false);
        } finally {
            target.attemptEnded();
            if (isRetry) {
                upstream.activeRetries().decrementAndGet();
            }
        }
    }

    private Attempt answer(Plan plan, InstanceState target, UpstreamResponse response, AttemptLog attempts) {
        String status = String.valueOf(response.status());
        attempts.record(target.id(), status);
        events.attempt(plan.upstream().service(), target.id(), status);
        return new Attempt(response, null, plan.policy().retry().retryOnStatuses().contains(response.status()));
    }

    /** Sends through the instance's breaker; a 5xx becomes an exception inside it so that the breaker counts it. */
    private static UpstreamResponse throughBreaker(InstanceState target, Sender sender, Duration readTimeout) {
        Optional<CircuitBreaker> breaker = target.breaker();
        if (breaker.isEmpty()) {
            return send(target, sender, readTimeout);
        }
        return breaker.get().invoke(() -> {
            UpstreamResponse response = send(target, sender, readTimeout);
            if (response.status() >= 500) {
                throw new UpstreamStatusFailure(response);
            }
            return response;
        });
    }

    private static UpstreamResponse send(InstanceState target, Sender sender, Duration readTimeout) {
        try {
            return sender.send(target, readTimeout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Result answered(UpstreamResponse response, InstanceState from) {
        return new Result.Answered(response, from);
    }

    private Result noInstanceLeft(Plan plan, TriedInstances tried, long now, FailureKind lastFailure,
                                  AttemptLog attempts) {
        if (lastFailure != null) {
            return afterAttempts(plan, lastFailure, attempts);
        }
        String service = plan.upstream().service();
        if (picker.whyNone(plan.upstream(), tried::contains, now) == InstancePicker.NoPick.ALL_CIRCUITS_OPEN) {
            return refused(Refusal.of(GatewayProblem.CIRCUIT_OPEN, "Every instance of " + service
                    + " has its circuit open").retryAfter(retryAfterSeconds));
        }
        return refused(Refusal.of(GatewayProblem.NO_HEALTHY_UPSTREAM, service + " has no healthy instance")
                               .retryAfter(retryAfterSeconds));
    }

    private Result afterAttempts(Plan plan, FailureKind failure, AttemptLog attempts) {
        String service = plan.upstream().service();
        int count = attempts.count();
        return refused(switch (failure) {
            case CONNECT_FAILURE -> Refusal.of(GatewayProblem.UPSTREAM_UNREACHABLE,
                    "No instance of " + service + " accepted a connection (" + count + " attempt(s))");
            case TIMEOUT -> Refusal.of(GatewayProblem.UPSTREAM_TIMEOUT,
                    service + " did not answer in time (" + count + " attempt(s))");
            case CIRCUIT_OPEN -> Refusal.of(GatewayProblem.CIRCUIT_OPEN,
                    "Every instance of " + service + " has its circuit open").retryAfter(retryAfterSeconds);
            case RESET, INVALID_RESPONSE, RETRYABLE_STATUS -> Refusal.of(GatewayProblem.BAD_UPSTREAM_RESPONSE,
                    service + " broke the connection or answered invalidly (" + count + " attempt(s))");
        });
    }

    private static Result timedOut(Plan plan) {
        return refused(Refusal.of(GatewayProblem.UPSTREAM_TIMEOUT, plan.upstream().service()
                + " did not answer within " + plan.policy().timeout().toMillis() + " ms"));
    }

    private static Result refused(Refusal refusal) {
        return new Result.Refused(refusal);
    }

    private static boolean sleepUntil(Duration pause, long deadline) {
        long nanos = Math.min(pause.toNanos(), deadline - System.nanoTime());
        if (nanos <= 0) {
            return false;
        }
        try {
            Thread.sleep(Duration.ofNanos(nanos));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What one attempt produced: an answer (maybe one to retry on), or a failure. */
    private record Attempt(UpstreamResponse response, FailureKind failure, boolean retryableStatus) {
    }
}
