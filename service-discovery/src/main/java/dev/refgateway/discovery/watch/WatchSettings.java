package dev.refgateway.discovery.watch;

import java.time.Duration;
import java.util.Objects;

import dev.refgateway.discovery.Backoff;

import io.helidon.config.Config;

/**
 * How a {@link HealthyInstancesWatch} talks to Consul, following Consul's guidance for blocking queries.
 *
 * <pre>
 * watch:
 *   wait: PT5M               # longest a blocking query waits for a change (Consul caps it at 10 min)
 *   max-rate: 5              # blocking queries per second, at most (a token bucket, burst 2)
 *   error-backoff-initial: PT0.2S
 *   error-backoff-max: PT5S  # Consul down: retry at least this often, so watching resumes soon after it returns
 * </pre>
 *
 * @param blockingWait the blocking query's {@code wait}
 * @param maxRate      blocking queries per second at most; protects Consul from a flapping check
 * @param errorBackoff back-off between failed calls
 */
public record WatchSettings(Duration blockingWait, double maxRate, Backoff errorBackoff) {

    public WatchSettings {
        Objects.requireNonNull(blockingWait, "blockingWait");
        Objects.requireNonNull(errorBackoff, "errorBackoff");
        if (blockingWait.toSeconds() < 1 || blockingWait.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("watch.wait: " + blockingWait + " (expected: 1 s to 10 min)");
        }
        if (!(maxRate > 0)) {
            throw new IllegalArgumentException("watch.max-rate: " + maxRate + " (expected: > 0)");
        }
    }

    public static WatchSettings defaults() {
        return new WatchSettings(Duration.ofMinutes(5), 5.0, new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5)));
    }

    /** Reads a {@code watch} config node; every key is optional. */
    public static WatchSettings create(Config watch) {
        WatchSettings d = defaults();
        return new WatchSettings(
                watch.get("wait").as(Duration.class).orElse(d.blockingWait()),
                watch.get("max-rate").asDouble().orElse(d.maxRate()),
                new Backoff(watch.get("error-backoff-initial").as(Duration.class).orElse(d.errorBackoff().initial()),
                            watch.get("error-backoff-max").as(Duration.class).orElse(d.errorBackoff().max())));
    }
}
