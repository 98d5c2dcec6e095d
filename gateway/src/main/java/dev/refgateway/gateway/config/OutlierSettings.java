package dev.refgateway.gateway.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

import io.helidon.config.Config;

/**
 * Passive outlier ejection: an instance that keeps failing is taken out of rotation for a while (Envoy's model).
 *
 * <pre>
 * outlier:
 *   consecutive-failures: 5      # connect errors / retryable 5xx in a row that eject an instance
 *   base-ejection: 30s           # first ejection; the n-th lasts n times as long ...
 *   max-ejection: 300s           # ... but never longer than this
 *   max-ejection-percent: 10     # at most this share of a service's instances ejected at once (one always may)
 * </pre>
 *
 * @param consecutiveFailures failures in a row that eject an instance; default 5, at least 1
 * @param baseEjection        how long the first ejection lasts; default 30 s
 * @param maxEjection         cap on an ejection's length; default 300 s, at least {@code baseEjection}
 * @param maxEjectionPercent  share of instances that may be ejected at the same time, 0 to 100; default 10. At
 *                            least one instance may always be ejected, so a service of two can lose its bad one.
 */
public record OutlierSettings(int consecutiveFailures,
                              Duration baseEjection,
                              Duration maxEjection,
                              int maxEjectionPercent) {

    private static final Set<String> KEYS =
            Set.of("consecutive-failures", "base-ejection", "max-ejection", "max-ejection-percent");
    private static final OutlierSettings DEFAULTS =
            new OutlierSettings(5, Duration.ofSeconds(30), Duration.ofSeconds(300), 10);

    public OutlierSettings {
        Objects.requireNonNull(baseEjection, "baseEjection");
        Objects.requireNonNull(maxEjection, "maxEjection");
        Check.range("consecutiveFailures", consecutiveFailures, 1, Integer.MAX_VALUE);
        Check.positive("baseEjection", baseEjection);
        if (maxEjection.compareTo(baseEjection) < 0) {
            throw new IllegalArgumentException("maxEjection: " + maxEjection + " (expected: >= baseEjection "
                    + baseEjection + ")");
        }
        Check.range("maxEjectionPercent", maxEjectionPercent, 0, 100);
    }

    /** Five failures in a row eject for 30 s × times ejected, capped at 300 s; at most 10 % ejected. */
    public static OutlierSettings defaults() {
        return DEFAULTS;
    }

    /** Reads an {@code outlier} node; every key is optional. */
    public static OutlierSettings create(Config outlier) {
        return read(ConfigNode.of(outlier));
    }

    static OutlierSettings read(ConfigNode node) {
        node.allowOnly(KEYS);
        Duration base = node.get("base-ejection").duration(DEFAULTS.baseEjection, Duration.ofMillis(1));
        ConfigNode maxNode = node.get("max-ejection");
        Duration max = maxNode.duration(DEFAULTS.maxEjection, Duration.ofMillis(1));
        if (max.compareTo(base) < 0) {
            throw maxNode.exists()
                    ? maxNode.invalid(ConfigNode.quote(maxNode.text().orElse("")),
                                      ">= base-ejection " + Durations.format(base))
                    : node.get("base-ejection").invalid(ConfigNode.quote(node.get("base-ejection").text().orElse("")),
                                                        "<= max-ejection " + Durations.format(max));
        }
        return new OutlierSettings(node.get("consecutive-failures").intIn(DEFAULTS.consecutiveFailures, 1,
                                                                          Integer.MAX_VALUE),
                                   base,
                                   max,
                                   node.get("max-ejection-percent").intIn(DEFAULTS.maxEjectionPercent, 0, 100));
    }
}
