package dev.refgateway.gateway.failover;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;
import dev.refgateway.gateway.http1.Syntax;

/**
 * When and how often the gateway retries a failed attempt on another instance: a route's {@code retry} section, or
 * {@code gateway.defaults.retry} for every route that does not set a key itself.
 *
 * @param maxAttempts          see {@link #MAX_ATTEMPTS}
 * @param backoffBase          see {@link #BACKOFF_BASE}
 * @param backoffMax           see {@link #BACKOFF_MAX}; at least {@code backoffBase}
 * @param retryOnStatuses      see {@link #RETRY_ON_STATUSES}
 * @param idempotencyKeyHeader see {@link #IDEMPOTENCY_KEY_HEADER}
 * @param budgetPercent        see {@link #BUDGET_PERCENT}
 * @param minRetriesInFlight   see {@link #MIN_RETRIES_IN_FLIGHT}
 * @param idempotencyKeyAware  see {@link #IDEMPOTENCY_KEY_AWARE}
 */
public record RetrySettings(int maxAttempts,
                            Duration backoffBase,
                            Duration backoffMax,
                            Set<Integer> retryOnStatuses,
                            String idempotencyKeyHeader,
                            double budgetPercent,
                            int minRetriesInFlight,
                            boolean idempotencyKeyAware) {

    /** At most this many attempts per request, however configured. */
    public static final int MAX_ATTEMPTS_LIMIT = 10;

    public static final Option.Int MAX_ATTEMPTS = Option.integer(
            "max-attempts", 3, 1, MAX_ATTEMPTS_LIMIT, "Attempts in all, the first included; 1 never retries.");
    public static final Option.Time BACKOFF_BASE = Option.duration(
            "backoff-base", Duration.ofMillis(25), Duration.ZERO,
            "Back-off before the first retry, doubled for each further one and jittered.");
    public static final Option.Time BACKOFF_MAX = Option.duration(
            "backoff-max", Duration.ofMillis(250), Duration.ZERO, "The longest back-off; at least backoff-base.");
    public static final Option.Items<Integer> RETRY_ON_STATUSES = Option.integers(
            "retry-on-statuses", List.of(502, 503, 504), status -> status >= 500 && status <= 599,
            "a status code from 500 to 599; other statuses are the upstream's answer",
            "Upstream answers that count as a failed attempt, worth trying another instance.");
    public static final Option.Text IDEMPOTENCY_KEY_HEADER = Option.text(
            "idempotency-key-header", "Idempotency-Key", Syntax::isToken, "a header name",
            "The header a client sends a deduplication key in.");
    public static final Option.Flag IDEMPOTENCY_KEY_AWARE = Option.flag(
            "idempotency-key-aware", false,
            "Whether the route's instances deduplicate requests by that key (store it with the result, answer a "
                    + "repeat with the first result): only then is a non-idempotent request carrying it retried after "
                    + "an instance may have processed it.");
    public static final Option.Number BUDGET_PERCENT = Option.number(
            "budget-percent", 20.0, 0, 100, "Retries in flight may be at most this share of active requests ...");
    public static final Option.Int MIN_RETRIES_IN_FLIGHT = Option.integer(
            "min-retries-in-flight", 32, 0, Integer.MAX_VALUE,
            "... but this many are always allowed: an instance dying under a few dozen requests in flight costs no "
                    + "client a failed GET.");
    public static final Options OPTIONS = Options.of(
            "gateway.defaults.retry", "Retries on another instance; a route's retry section overrides single keys.",
            MAX_ATTEMPTS, BACKOFF_BASE, BACKOFF_MAX, RETRY_ON_STATUSES, IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_AWARE,
            BUDGET_PERCENT, MIN_RETRIES_IN_FLIGHT);

    private static final RetrySettings DEFAULTS = new RetrySettings(
            MAX_ATTEMPTS.defaultValue(), BACKOFF_BASE.defaultValue(), BACKOFF_MAX.defaultValue(),
            Set.copyOf(RETRY_ON_STATUSES.defaultValue()), IDEMPOTENCY_KEY_HEADER.defaultValue(),
            BUDGET_PERCENT.defaultValue(), MIN_RETRIES_IN_FLIGHT.defaultValue(), IDEMPOTENCY_KEY_AWARE.defaultValue());

    public RetrySettings {
        MAX_ATTEMPTS.check(maxAttempts);
        BACKOFF_BASE.check(backoffBase);
        BACKOFF_MAX.check(backoffMax);
        Options.atLeast(BACKOFF_MAX, backoffMax, BACKOFF_BASE, backoffBase);
        RETRY_ON_STATUSES.check(List.copyOf(retryOnStatuses));
        IDEMPOTENCY_KEY_HEADER.check(idempotencyKeyHeader);
        BUDGET_PERCENT.check(budgetPercent);
        MIN_RETRIES_IN_FLIGHT.check(minRetriesInFlight);
        retryOnStatuses = Collections.unmodifiableSortedSet(new TreeSet<>(retryOnStatuses));
    }

    /** Settings of a route whose instances do not deduplicate by idempotency key. */
    public RetrySettings(int maxAttempts, Duration backoffBase, Duration backoffMax, Set<Integer> retryOnStatuses,
                         String idempotencyKeyHeader, double budgetPercent, int minRetriesInFlight) {
        this(maxAttempts, backoffBase, backoffMax, retryOnStatuses, idempotencyKeyHeader, budgetPercent,
             minRetriesInFlight, false);
    }

    /** Three attempts, 25–250 ms back-off, on 502/503/504, budget 20 % with at least 32 retries in flight. */
    public static RetrySettings defaults() {
        return DEFAULTS;
    }

    /** Reads a {@code retry} node; missing keys are taken from {@code inherited} (a route inherits the defaults). */
    public static RetrySettings read(ConfigNode node, RetrySettings inherited) {
        return OPTIONS.build(node, values -> new RetrySettings(
                values.getOr(MAX_ATTEMPTS, inherited.maxAttempts),
                values.getOr(BACKOFF_BASE, inherited.backoffBase),
                values.getOr(BACKOFF_MAX, inherited.backoffMax),
                values.isSet(RETRY_ON_STATUSES) ? Set.copyOf(values.get(RETRY_ON_STATUSES)) : inherited.retryOnStatuses,
                values.getOr(IDEMPOTENCY_KEY_HEADER, inherited.idempotencyKeyHeader),
                values.getOr(BUDGET_PERCENT, inherited.budgetPercent),
                values.getOr(MIN_RETRIES_IN_FLIGHT, inherited.minRetriesInFlight),
                values.getOr(IDEMPOTENCY_KEY_AWARE, inherited.idempotencyKeyAware)));
    }
}
