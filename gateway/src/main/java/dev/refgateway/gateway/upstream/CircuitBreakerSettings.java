package dev.refgateway.gateway.upstream;

import java.time.Duration;

import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;

import io.helidon.faulttolerance.CircuitBreakerConfig;

/**
 * A circuit breaker per upstream instance (Helidon Fault Tolerance's {@code CircuitBreaker}): when too many recent
 * attempts to an instance failed, it is skipped until the breaker lets a trial request through. The options are
 * declared once below; {@link #helidonConfig} hands them to Helidon as its own {@link CircuitBreakerConfig}.
 *
 * @param enabled           see {@link #ENABLED}
 * @param volume            see {@link #VOLUME}
 * @param errorRatioPercent see {@link #ERROR_RATIO_PERCENT}
 * @param delay             see {@link #DELAY}
 * @param successThreshold  see {@link #SUCCESS_THRESHOLD}
 */
public record CircuitBreakerSettings(boolean enabled,
                                     int volume,
                                     int errorRatioPercent,
                                     Duration delay,
                                     int successThreshold) {

    public static final Option.Flag ENABLED = Option.flag("enabled", true, "Whether instances get a breaker.");
    public static final Option.Int VOLUME = Option.integer(
            "volume", 10, 1, Integer.MAX_VALUE, "How many of an instance's recent attempts the breaker looks at.");
    public static final Option.Int ERROR_RATIO_PERCENT = Option.integer(
            "error-ratio-percent", 50, 1, 100, "The share of those attempts that, failed, opens the breaker.");
    public static final Option.Time DELAY = Option.duration(
            "delay", Duration.ofSeconds(5), Duration.ofMillis(1), "How long the breaker stays open before a trial.");
    public static final Option.Int SUCCESS_THRESHOLD = Option.integer(
            "success-threshold", 1, 1, Integer.MAX_VALUE, "Successful trials that close the breaker again.");
    public static final Options OPTIONS = Options.of(
            "gateway.circuit-breaker", "A circuit breaker per upstream instance.",
            ENABLED, VOLUME, ERROR_RATIO_PERCENT, DELAY, SUCCESS_THRESHOLD);

    private static final CircuitBreakerSettings DEFAULTS = new CircuitBreakerSettings(
            ENABLED.defaultValue(), VOLUME.defaultValue(), ERROR_RATIO_PERCENT.defaultValue(), DELAY.defaultValue(),
            SUCCESS_THRESHOLD.defaultValue());

    public CircuitBreakerSettings {
        VOLUME.check(volume);
        ERROR_RATIO_PERCENT.check(errorRatioPercent);
        DELAY.check(delay);
        SUCCESS_THRESHOLD.check(successThreshold);
    }

    /** Enabled; opens at 50 % failures over 10 attempts; 5 s open; one success closes it. */
    public static CircuitBreakerSettings defaults() {
        return DEFAULTS;
    }

    /** Reads a {@code circuit-breaker} node; every key is optional. */
    public static CircuitBreakerSettings read(ConfigNode node) {
        return OPTIONS.build(node, values -> new CircuitBreakerSettings(
                values.get(ENABLED), values.get(VOLUME), values.get(ERROR_RATIO_PERCENT), values.get(DELAY),
                values.get(SUCCESS_THRESHOLD)));
    }

    /** These settings as Helidon's own configuration of a breaker named {@code name}. */
    CircuitBreakerConfig helidonConfig(String name) {
        return CircuitBreakerConfig.builder()
                .name(name)
                .volume(volume)
                .errorRatio(errorRatioPercent)
                .delay(delay)
                .successThreshold(successThreshold)
                .buildPrototype();
    }
}
