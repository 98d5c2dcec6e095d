package dev.refgateway.gateway.config;

import java.time.Duration;
import java.util.Set;

/**
 * How many failed authentication attempts one client address may make: a token bucket per address, one token per
 * failure, {@code failures} tokens earned back per {@code period}. An address with no token left is answered 429
 * (with {@code Retry-After}) on protected routes before its credentials are looked at, so guessing keys or tokens
 * costs time; successful requests take nothing.
 *
 * <pre>
 * failed-auth-limit:
 *   enabled: true
 *   failures: 20          # failures per period (and the burst)
 *   period: 1m
 *   max-addresses: 100000 # addresses remembered; the least recently seen go first
 * </pre>
 *
 * @param enabled      whether failures are limited; default true
 * @param failures     failures allowed per period; default 20, 1 to 1,000,000
 * @param period       default 1 minute, at least 1 s
 * @param maxAddresses addresses tracked at once; default 100,000, 1 to 10,000,000
 */
public record FailedAuthLimit(boolean enabled, int failures, Duration period, int maxAddresses) {

    private static final Set<String> KEYS = Set.of("enabled", "failures", "period", "max-addresses");
    private static final FailedAuthLimit DEFAULTS = new FailedAuthLimit(true, 20, Duration.ofMinutes(1), 100_000);

    public FailedAuthLimit {
        Check.range("failures", failures, 1, 1_000_000);
        Check.positive("period", period);
        Check.range("maxAddresses", maxAddresses, 1, 10_000_000);
    }

    /** On: 20 failures a minute per address. */
    public static FailedAuthLimit defaults() {
        return DEFAULTS;
    }

    static FailedAuthLimit read(ConfigNode node) {
        node.allowOnly(KEYS);
        return new FailedAuthLimit(node.get("enabled").bool(DEFAULTS.enabled),
                                   node.get("failures").intIn(DEFAULTS.failures, 1, 1_000_000),
                                   node.get("period").duration(DEFAULTS.period, Duration.ofSeconds(1)),
                                   node.get("max-addresses").intIn(DEFAULTS.maxAddresses, 1, 10_000_000));
    }
}
