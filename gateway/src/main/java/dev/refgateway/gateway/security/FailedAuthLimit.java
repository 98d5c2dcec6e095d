package dev.refgateway.gateway.security;

import java.time.Duration;

import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;

/**
 * How many failed authentication attempts one client address may make: a token bucket per address, one token per
 * failure, {@code failures} tokens earned back per {@code period}. An address with no token left is answered 429
 * (with {@code Retry-After}) on protected routes before its credentials are looked at, so guessing keys or tokens
 * costs time; successful requests take nothing.
 *
 * @param enabled      see {@link #ENABLED}
 * @param failures     see {@link #FAILURES}
 * @param period       see {@link #PERIOD}
 * @param maxAddresses see {@link #MAX_ADDRESSES}
 */
public record FailedAuthLimit(boolean enabled, int failures, Duration period, int maxAddresses) {

    public static final Option.Flag ENABLED = Option.flag("enabled", true, "Whether failures are limited.");
    public static final Option.Int FAILURES = Option.integer(
            "failures", 20, 1, 1_000_000, "Failures allowed per period, and the burst.");
    public static final Option.Time PERIOD = Option.duration(
            "period", Duration.ofMinutes(1), Duration.ofSeconds(1), "The period failures are counted over.");
    public static final Option.Int MAX_ADDRESSES = Option.integer(
            "max-addresses", 100_000, 1, 10_000_000, "Addresses remembered; the least recently seen go first.");
    public static final Options OPTIONS = Options.of(
            "gateway.security.failed-auth-limit", "Failed authentication attempts allowed per client address.",
            ENABLED, FAILURES, PERIOD, MAX_ADDRESSES);

    private static final FailedAuthLimit DEFAULTS = new FailedAuthLimit(
            ENABLED.defaultValue(), FAILURES.defaultValue(), PERIOD.defaultValue(), MAX_ADDRESSES.defaultValue());

    public FailedAuthLimit {
        FAILURES.check(failures);
        PERIOD.check(period);
        MAX_ADDRESSES.check(maxAddresses);
    }

    /** On: 20 failures a minute per address. */
    public static FailedAuthLimit defaults() {
        return DEFAULTS;
    }

    public static FailedAuthLimit read(ConfigNode node) {
        return OPTIONS.build(node, values -> new FailedAuthLimit(
                values.get(ENABLED), values.get(FAILURES), values.get(PERIOD), values.get(MAX_ADDRESSES)));
    }
}
