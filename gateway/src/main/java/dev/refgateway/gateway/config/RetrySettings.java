package dev.refgateway.gateway.config;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import io.helidon.config.Config;

/**
 * When and how often the gateway retries a failed attempt on another instance.
 *
 * <pre>
 * retry:
 *   max-attempts: 3                  # attempts in all, the first included; 1 = never retry (1 to 10)
 *   backoff-base: 25ms               # jittered exponential back-off between attempts ...
 *   backoff-max: 250ms               # ... capped at this
 *   retry-on-statuses: [502, 503, 504]   # upstream answers worth another instance (5xx only)
 *   idempotency-key-header: Idempotency-Key  # the header clients send a deduplication key in ...
 *   idempotency-key-aware: false     # ... and whether this route's instances honour it: only then is a
 *                                    # non-idempotent request carrying it retried
 *   budget-percent: 20.0             # retries in flight at most this share of active requests ...
 *   min-retries-in-flight: 32        # ... but this many are always allowed
 * </pre>
 *
 * @param maxAttempts          attempts in all, the first included; default 3, 1 to 10
 * @param backoffBase          back-off before the first retry, doubled for each further one; default 25 ms
 * @param backoffMax           back-off cap; default 250 ms, at least {@code backoffBase}
 * @param retryOnStatuses      upstream statuses that count as a failed attempt; default 502, 503, 504
 * @param idempotencyKeyHeader header a client sends a deduplication key in; default {@code Idempotency-Key}
 * @param idempotencyKeyAware  whether the route's instances deduplicate requests by that key (store the key with the
 *                             result and answer a repeat with the first result): only then may a non-idempotent
 *                             request carrying it be retried after the instance may have processed it; default false
 * @param budgetPercent        retries in flight may be at most this share of active requests; default 20.0
 * @param minRetriesInFlight   retries always allowed in flight, whatever the budget says; default 32: an
 *                             instance dying under a few dozen requests in flight costs no client a failed GET
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

    private static final Set<String> KEYS = Set.of("max-attempts", "backoff-base", "backoff-max",
            "retry-on-statuses", "idempotency-key-header", "idempotency-key-aware", "budget-percent",
            "min-retries-in-flight");
    private static final RetrySettings DEFAULTS = new RetrySettings(
            3, Duration.ofMillis(25), Duration.ofMillis(250), Set.of(502, 503, 504), "Idempotency-Key", 20.0, 32,
            false);

    public RetrySettings {
        Objects.requireNonNull(backoffBase, "backoffBase");
        Objects.requireNonNull(backoffMax, "backoffMax");
        Objects.requireNonNull(retryOnStatuses, "retryOnStatuses");
        Objects.requireNonNull(idempotencyKeyHeader, "idempotencyKeyHeader");
        Check.range("maxAttempts", maxAttempts, 1, MAX_ATTEMPTS_LIMIT);
        Check.notNegative("backoffBase", backoffBase);
        if (backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("backoffMax: " + backoffMax + " (expected: >= backoffBase "
                    + backoffBase + ")");
        }
        for (int status : retryOnStatuses) {
            Check.range("retryOnStatuses", status, 500, 599);
        }
        if (!Check.isToken(idempotencyKeyHeader)) {
            throw new IllegalArgumentException("idempotencyKeyHeader: \"" + idempotencyKeyHeader
                    + "\" (expected: a header name)");
        }
        if (!(budgetPercent >= 0 && budgetPercent <= 100)) {
            throw new IllegalArgumentException("budgetPercent: " + budgetPercent + " (expected: 0 to 100)");
        }
        Check.range("minRetriesInFlight", minRetriesInFlight, 0, Integer.MAX_VALUE);
        retryOnStatuses = sortedCopy(retryOnStatuses);
    }

    /** Settings of a route whose instances do not deduplicate by idempotency key. */
    public RetrySettings(int maxAttempts, Duration backoffBase, Duration backoffMax, Set<Integer> retryOnStatuses,
                         String idempotencyKeyHeader, double budgetPercent, int minRetriesInFlight) {
        this(maxAttempts, backoffBase, backoffMax, retryOnStatuses, idempotencyKeyHeader, budgetPercent,
             minRetriesInFlight, false);
    }

    /** Three attempts, 25–250 ms back-off, on 502/503/504, budget 20 % with at least 3 retries in flight. */
    public static RetrySettings defaults() {
        return DEFAULTS;
    }

    /** Reads a {@code retry} node; missing keys take the {@linkplain #defaults() defaults}. */
    public static RetrySettings create(Config retry) {
        return read(ConfigNode.of(retry), DEFAULTS);
    }

    /** Reads a {@code retry} node; missing keys are taken from {@code inherited} (a route inherits the defaults). */
    public static RetrySettings create(Config retry, RetrySettings inherited) {
        return read(ConfigNode.of(retry), inherited);
    }

    static RetrySettings read(ConfigNode node, RetrySettings inherited) {
        node.allowOnly(KEYS);
        int maxAttempts = node.get("max-attempts").intIn(inherited.maxAttempts, 1, MAX_ATTEMPTS_LIMIT);
        ConfigNode baseNode = node.get("backoff-base");
        Duration base = baseNode.duration(inherited.backoffBase, Duration.ZERO);
        ConfigNode maxNode = node.get("backoff-max");
        Duration max = maxNode.duration(inherited.backoffMax, Duration.ZERO);
        if (max.compareTo(base) < 0) {
            throw maxNode.exists()
                    ? maxNode.invalid(ConfigNode.quote(maxNode.text().orElse("")),
                                      ">= backoff-base " + Durations.format(base))
                    : baseNode.invalid(ConfigNode.quote(baseNode.text().orElse("")),
                                       "<= backoff-max " + Durations.format(max));
        }
        return new RetrySettings(maxAttempts,
                                 base,
                                 max,
                                 statuses(node.get("retry-on-statuses"), inherited.retryOnStatuses),
                                 header(node.get("idempotency-key-header"), inherited.idempotencyKeyHeader),
                                 node.get("budget-percent").doubleIn(inherited.budgetPercent, 0, 100),
                                 node.get("min-retries-in-flight").intIn(inherited.minRetriesInFlight, 0,
                                                                         Integer.MAX_VALUE),
                                 node.get("idempotency-key-aware").bool(inherited.idempotencyKeyAware));
    }

    private static Set<Integer> statuses(ConfigNode node, Set<Integer> inherited) {
        if (!node.exists()) {
            return inherited;
        }
        Set<Integer> statuses = new TreeSet<>();
        for (ConfigNode.Value value : node.strings()) {
            int status;
            try {
                status = Integer.parseInt(value.text());
            } catch (NumberFormatException e) {
                throw value.invalid("a status code from 500 to 599");
            }
            if (status < 500 || status > 599) {
                throw value.invalid("a status code from 500 to 599; other statuses are the upstream's answer");
            }
            statuses.add(status);
        }
        return statuses;
    }

    private static String header(ConfigNode node, String inherited) {
        if (!node.exists()) {
            return inherited;
        }
        String name = node.requiredText("a header name");
        if (!Check.isToken(name)) {
            throw node.invalid(ConfigNode.quote(name), "a header name");
        }
        return name;
    }

    private static SortedSet<Integer> sortedCopy(Collection<Integer> statuses) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(statuses));
    }
}
