package dev.refgateway.gateway.routing;

import java.time.Duration;
import java.util.Objects;

import dev.refgateway.gateway.config.RetrySettings;

/**
 * Time limits and retries of one route.
 *
 * @param timeout       the whole request, every attempt and back-off included; default 15 s
 * @param perTryTimeout one attempt on one instance, so that a hung instance leaves time to try another; at most
 *                      {@code timeout}; default 5 s
 * @param retry         when and how often to retry
 */
public record RoutePolicy(Duration timeout, Duration perTryTimeout, RetrySettings retry) {

    /** The overall timeout when none is configured (Envoy's route default). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    /** The per-attempt timeout when none is configured. */
    public static final Duration DEFAULT_PER_TRY_TIMEOUT = Duration.ofSeconds(5);

    public RoutePolicy {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(perTryTimeout, "perTryTimeout");
        Objects.requireNonNull(retry, "retry");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        if (perTryTimeout.isNegative() || perTryTimeout.isZero()) {
            throw new IllegalArgumentException("perTryTimeout: " + perTryTimeout + " (expected: > 0)");
        }
        if (perTryTimeout.compareTo(timeout) > 0) {
            throw new IllegalArgumentException("perTryTimeout: " + perTryTimeout + " (expected: <= timeout " + timeout
                    + ")");
        }
    }

    /** 15 s overall, 5 s per attempt, {@link RetrySettings#defaults() default retries}. */
    public static RoutePolicy defaults() {
        return new RoutePolicy(DEFAULT_TIMEOUT, DEFAULT_PER_TRY_TIMEOUT, RetrySettings.defaults());
    }
}
