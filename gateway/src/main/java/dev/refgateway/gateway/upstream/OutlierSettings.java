package dev.refgateway.gateway.upstream;

import java.time.Duration;

import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;

/**
 * Passive outlier ejection: an instance that keeps failing is taken out of rotation for a while (Envoy's model).
 *
 * @param consecutiveFailures see {@link #CONSECUTIVE_FAILURES}
 * @param baseEjection        see {@link #BASE_EJECTION}
 * @param maxEjection         see {@link #MAX_EJECTION}; at least {@code baseEjection}
 * @param maxEjectionPercent  see {@link #MAX_EJECTION_PERCENT}
 */
public record OutlierSettings(int consecutiveFailures,
                              Duration baseEjection,
                              Duration maxEjection,
                              int maxEjectionPercent) {

    public static final Option.Int CONSECUTIVE_FAILURES = Option.integer(
            "consecutive-failures", 5, 1, Integer.MAX_VALUE,
            "Connect errors or retryable 5xx in a row that eject an instance.");
    public static final Option.Time BASE_EJECTION = Option.duration(
            "base-ejection", Duration.ofSeconds(30), Duration.ofMillis(1),
            "How long the first ejection lasts; the n-th lasts n times as long.");
    public static final Option.Time MAX_EJECTION = Option.duration(
            "max-ejection", Duration.ofSeconds(300), Duration.ofMillis(1),
            "The longest an ejection lasts; at least base-ejection.");
    public static final Option.Int MAX_EJECTION_PERCENT = Option.integer(
            "max-ejection-percent", 10, 0, 100,
            "The share of a service's instances ejected at once; one may always be, so a service of two can lose "
                    + "its bad one.");
    public static final Options OPTIONS = Options.of(
            "gateway.outlier", "Passive ejection of instances that keep failing.",
            CONSECUTIVE_FAILURES, BASE_EJECTION, MAX_EJECTION, MAX_EJECTION_PERCENT);

    private static final OutlierSettings DEFAULTS = new OutlierSettings(
            CONSECUTIVE_FAILURES.defaultValue(), BASE_EJECTION.defaultValue(), MAX_EJECTION.defaultValue(),
            MAX_EJECTION_PERCENT.defaultValue());

    public OutlierSettings {
        CONSECUTIVE_FAILURES.check(consecutiveFailures);
        BASE_EJECTION.check(baseEjection);
        MAX_EJECTION.check(maxEjection);
        Options.atLeast(MAX_EJECTION, maxEjection, BASE_EJECTION, baseEjection);
        MAX_EJECTION_PERCENT.check(maxEjectionPercent);
    }

    /** Five failures in a row eject for 30 s × times ejected, capped at 300 s; at most 10 % ejected. */
    public static OutlierSettings defaults() {
        return DEFAULTS;
    }

    /** Reads an {@code outlier} node; every key is optional. */
    public static OutlierSettings read(ConfigNode node) {
        return OPTIONS.build(node, values -> new OutlierSettings(
                values.get(CONSECUTIVE_FAILURES), values.get(BASE_EJECTION), values.get(MAX_EJECTION),
                values.get(MAX_EJECTION_PERCENT)));
    }
}
