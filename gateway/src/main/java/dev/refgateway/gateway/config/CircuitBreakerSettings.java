package dev.refgateway.gateway.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

import io.helidon.config.Config;

/**
 * A circuit breaker per upstream instance (Helidon Fault Tolerance): when too many recent attempts to an instance
 * failed, it is skipped until the breaker lets a trial request through.
 *
 * <pre>
 * circuit-breaker:
 *   enabled: true
 *   volume: 10                # the breaker looks at this many recent attempts ...
 *   error-ratio-percent: 50   # ... and opens when at least this share of them failed
 *   delay: 5s                 # how long it stays open before a trial request
 *   success-threshold: 1      # successful trials that close it again
 * </pre>
 *
 * @param enabled           whether instances get a breaker; default true
 * @param volume            size of the rolling window of attempts; default 10, at least 1
 * @param errorRatioPercent failure share in the window that opens the breaker, 1 to 100; default 50
 * @param delay             time open before half-open; default 5 s
 * @param successThreshold  successes in half-open state that close it; default 1, at least 1
 */
public record CircuitBreakerSettings(boolean enabled,
                                     int volume,
                                     int errorRatioPercent,
                                     Duration delay,
                                     int successThreshold) {

    private static final Set<String> KEYS =
            Set.of("enabled", "volume", "error-ratio-percent", "delay", "success-threshold");
    private static final CircuitBreakerSettings DEFAULTS =
            new CircuitBreakerSettings(true, 10, 50, Duration.ofSeconds(5), 1);

    public CircuitBreakerSettings {
        Objects.requireNonNull(delay, "delay");
        Check.range("volume", volume, 1, Integer.MAX_VALUE);
        Check.range("errorRatioPercent", errorRatioPercent, 1, 100);
        Check.positive("delay", delay);
        Check.range("successThreshold", successThreshold, 1, Integer.MAX_VALUE);
    }

    /** Enabled; opens at 50 % failures over 10 attempts; 5 s open; one success closes it. */
    public static CircuitBreakerSettings defaults() {
        return DEFAULTS;
    }

    /** Reads a {@code circuit-breaker} node; every key is optional. */
    public static CircuitBreakerSettings create(Config circuitBreaker) {
        return read(ConfigNode.of(circuitBreaker));
    }

    static CircuitBreakerSettings read(ConfigNode node) {
        node.allowOnly(KEYS);
        return new CircuitBreakerSettings(
                node.get("enabled").bool(DEFAULTS.enabled),
                node.get("volume").intIn(DEFAULTS.volume, 1, Integer.MAX_VALUE),
                node.get("error-ratio-percent").intIn(DEFAULTS.errorRatioPercent, 1, 100),
                node.get("delay").duration(DEFAULTS.delay, Duration.ofMillis(1)),
                node.get("success-threshold").intIn(DEFAULTS.successThreshold, 1, Integer.MAX_VALUE));
    }
}
