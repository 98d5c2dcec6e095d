package dev.refgateway.gateway.ratelimit;

import java.time.Duration;
import java.util.Optional;

import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Durations;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;

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
 * @param capacity see {@link #CAPACITY}
 * @param refill   see {@link #REFILL}
 * @param period   see {@link #PERIOD}
 */
public record RateLimit(int capacity, int refill, Duration period) {

    public static final Option.Flag ENABLED = Option.flag(
            "enabled", true, "false turns the limit off (a route not limited whatever the default).");
    public static final Option.Int CAPACITY = Option.integer(
            "capacity", 1, 1, Integer.MAX_VALUE, "Requests a caller may send at once (the bucket's size).")
            .required("the requests a caller may send at once, >= 1");
    public static final Option.Int REFILL = Option.integer(
            "refill", 1, 1, Integer.MAX_VALUE, "Tokens put back per period.").defaultShownAs("capacity");
    public static final Option.Time PERIOD = Option.duration(
            "period", Duration.ofSeconds(1), Duration.ofMillis(1), "The period the refill is per.");
    public static final Options OPTIONS = Options.of(
            "gateway.routes[i].rate-limit", "A token bucket per caller; also gateway.rate-limit.default.",
            ENABLED, CAPACITY, REFILL, PERIOD);

    public RateLimit {
        CAPACITY.check(capacity);
        REFILL.check(refill);
        PERIOD.check(period);
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

    /** Reads a limit; {@code {enabled: false}} is no limit, any other map a limit whose capacity is required. */
    static Optional<RateLimit> read(ConfigNode node) {
        if (!node.exists()) {
            return Optional.empty();
        }
        OPTIONS.checkKeys(node);
        if (!ENABLED.read(node)) {
            return Optional.empty();
        }
        Options.Values values = OPTIONS.readShared(node);
        int capacity = values.get(CAPACITY);
        return Optional.of(new RateLimit(capacity, values.getOr(REFILL, capacity), values.get(PERIOD)));
    }

    @Override
    public String toString() {
        return "{capacity: " + capacity + ", refill: " + refill + ", period: " + Durations.format(period) + "}";
    }
}
