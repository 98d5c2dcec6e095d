package dev.refgateway.gateway.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The shape of one token bucket: a caller may send {@code capacity} requests at once, and earns {@code refill} more
 * per {@code period}, added smoothly (one every {@code period / refill}), never beyond {@code capacity}.
 *
 * <pre>
 * rate-limit:
 *   capacity: 100     # the burst: requests a caller with a full bucket may send at once
 *   refill: 100       # requests earned back per period; default capacity
 *   period: 1s        # default 1s
 * </pre>
 * So {@code {capacity: 100, refill: 100, period: 1s}} is "100 requests per second, all of them at once if need be";
 * {@code {capacity: 20, refill: 600, period: 1m}} is "10 per second on average, bursts of 20".
 *
 * @param capacity requests a full bucket allows at once; at least 1
 * @param refill   requests earned back per {@code period}; at least 1
 * @param period   how long earning {@code refill} requests takes; at least 1 ms
 */
public record RateLimit(int capacity, int refill, Duration period) {

    /** Default of {@link #period()}. */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(1);

    static final Set<String> KEYS = Set.of("enabled", "capacity", "refill", "period");
    private static final Duration MIN_PERIOD = Duration.ofMillis(1);

    public RateLimit {
        Check.range("capacity", capacity, 1, Integer.MAX_VALUE);
        Check.range("refill", refill, 1, Integer.MAX_VALUE);
        Objects.requireNonNull(period, "period");
        if (period.compareTo(MIN_PERIOD) < 0) {
            throw new IllegalArgumentException("period: " + period + " (expected: >= 1ms)");
        }
    }

    /** {@code capacity} requests per {@code period}, all of them at once if need be. */
    public static RateLimit of(int capacity, Duration period) {
        return new RateLimit(capacity, capacity, period);
    }

    /** How long an empty bucket takes to fill up again; after that long idle, a caller's bucket can be forgotten. */
    public Duration timeToFill() {
        // capacity x period / refill, rounded up to the nanosecond; in double, as the product can overflow a long
        double nanos = Math.ceil((double) capacity * period.toNanos() / refill);
        return nanos >= Long.MAX_VALUE ? Duration.ofNanos(Long.MAX_VALUE) : Duration.ofNanos((long) nanos);
    }

    /** Reads {@code capacity}, {@code refill} and {@code period} of a node whose other keys were checked. */
    static RateLimit read(ConfigNode node) {
        ConfigNode capacityNode = node.get("capacity");
        if (!capacityNode.exists()) {
            throw new ConfigException(capacityNode.key() + ": missing (expected: the requests a caller may send at "
                    + "once, >= 1)");
        }
        int capacity = capacityNode.intIn(1, 1, Integer.MAX_VALUE);
        int refill = node.get("refill").intIn(capacity, 1, Integer.MAX_VALUE);
        Duration period = node.get("period").duration(DEFAULT_PERIOD, MIN_PERIOD);
        return new RateLimit(capacity, refill, period);
    }

    @Override
    public String toString() {
        return "{capacity: " + capacity + ", refill: " + refill + ", period: " + Durations.format(period) + "}";
    }
}
