package dev.refgateway.discovery.registration;

import java.time.Duration;
import java.util.Objects;

import io.helidon.config.Config;

/**
 * The HTTP check Consul runs against a registered instance.
 *
 * <pre>
 * check:
 *   path: /observe/health/ready
 *   interval: PT1S
 *   timeout: PT1S
 *   deregister-critical-after: PT1M   # Consul's minimum is one minute
 * </pre>
 *
 * @param path                    path of the readiness endpoint on the instance
 * @param interval                how often Consul calls it; a crashed instance turns critical within about this long
 * @param timeout                 how long Consul waits for an answer
 * @param deregisterCriticalAfter Consul removes an instance that stayed critical this long
 */
public record HealthCheckSettings(String path, Duration interval, Duration timeout, Duration deregisterCriticalAfter) {

    public static final String DEFAULT_PATH = "/observe/health/ready";

    public HealthCheckSettings {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("check.path: " + path + " (expected: starts with /)");
        }
        requirePositive("check.interval", interval);
        requirePositive("check.timeout", timeout);
        requirePositive("check.deregister-critical-after", deregisterCriticalAfter);
    }

    /** One-second checks against {@value #DEFAULT_PATH}, deregistered after a minute critical. */
    public static HealthCheckSettings defaults() {
        return new HealthCheckSettings(DEFAULT_PATH, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(1));
    }

    /** Reads a {@code check} config node; every key is optional. */
    public static HealthCheckSettings create(Config check) {
        HealthCheckSettings d = defaults();
        return new HealthCheckSettings(
                check.get("path").asString().orElse(d.path()),
                check.get("interval").as(Duration.class).orElse(d.interval()),
                check.get("timeout").as(Duration.class).orElse(d.timeout()),
                check.get("deregister-critical-after").as(Duration.class).orElse(d.deregisterCriticalAfter()));
    }

    private static void requirePositive(String key, Duration value) {
        Objects.requireNonNull(value, key);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + ": " + value + " (expected: > 0)");
        }
    }
}
