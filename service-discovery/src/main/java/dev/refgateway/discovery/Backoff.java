package dev.refgateway.discovery;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with full jitter: the n-th delay is random in [initial, min(max, initial * 2^n)].
 * Jitter keeps many instances that lost Consul at the same moment from retrying in lock step.
 *
 * @param initial first delay
 * @param max     cap of any delay
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial: " + initial + " (expected: > 0)");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max: " + max + " (expected: >= initial " + initial + ")");
        }
    }

    /** Delay before retry number {@code attempt} (0 for the first retry). */
    public Duration delay(int attempt) {
        long initialMillis = initial.toMillis();
        long ceiling = initialMillis << Math.min(attempt, 20);
        long capped = Math.max(initialMillis, Math.min(max.toMillis(), ceiling));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(initialMillis, capped + 1));
    }
}
