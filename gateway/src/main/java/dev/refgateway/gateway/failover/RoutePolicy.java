package dev.refgateway.gateway.failover;

import java.time.Duration;
import java.util.Objects;

import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;

/**
 * Time limits and retries of one route: {@code timeout}, {@code per-try-timeout} and {@code retry}, in
 * {@code gateway.defaults} or in a route. What a route does not set it inherits from the defaults.
 *
 * @param timeout       see {@link #TIMEOUT}
 * @param perTryTimeout see {@link #PER_TRY_TIMEOUT}; at most {@code timeout}
 * @param retry         when and how often to retry
 */
public record RoutePolicy(Duration timeout, Duration perTryTimeout, RetrySettings retry) {

    public static final Option.Time TIMEOUT = Option.duration(
            "timeout", Duration.ofSeconds(15), Duration.ofMillis(1),
            "The whole request, every attempt and back-off included (Envoy's route default).");
    public static final Option.Time PER_TRY_TIMEOUT = Option.duration(
            "per-try-timeout", Duration.ofSeconds(5), Duration.ofMillis(1),
            "One attempt on one instance, so that a hung instance leaves time to try another; at most timeout.");
    public static final Option.Section RETRY = Option.section(
            "retry", "map", "When and how often to retry: see gateway.defaults.retry.");
    public static final Options OPTIONS = Options.of(
            "gateway.defaults", "Every route's time limits and retries, unless the route sets its own.",
            TIMEOUT, PER_TRY_TIMEOUT, RETRY);

    public RoutePolicy {
        TIMEOUT.check(timeout);
        PER_TRY_TIMEOUT.check(perTryTimeout);
        Options.atMost(PER_TRY_TIMEOUT, perTryTimeout, TIMEOUT, timeout);
        Objects.requireNonNull(retry, "retry");
    }

    /** 15 s overall, 5 s per attempt, {@link RetrySettings#defaults() default retries}. */
    public static RoutePolicy defaults() {
        return new RoutePolicy(TIMEOUT.defaultValue(), PER_TRY_TIMEOUT.defaultValue(), RetrySettings.defaults());
    }

    /** Reads {@code gateway.defaults}: unknown keys refused, what is missing from the built-in defaults. */
    public static RoutePolicy readDefaults(ConfigNode node) {
        return read(OPTIONS.read(node), defaults());
    }

    /** Reads a route's policy keys (the route's reader checks its keys); what is missing from {@code inherited}. */
    public static RoutePolicy readRoute(ConfigNode route, RoutePolicy inherited) {
        return read(OPTIONS.readShared(route), inherited);
    }

    private static RoutePolicy read(Options.Values values, RoutePolicy inherited) {
        Duration timeout = values.getOr(TIMEOUT, inherited.timeout);
        // An inherited per-try timeout longer than this level's timeout could never run out: cap it quietly.
        Duration perTry = values.getOr(PER_TRY_TIMEOUT, min(inherited.perTryTimeout, timeout));
        RetrySettings retry = RetrySettings.read(values.get(RETRY), inherited.retry);
        return Options.build(values, v -> new RoutePolicy(timeout, perTry, retry));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
