package dev.refgateway.gateway.observability;

import dev.refgateway.gateway.problem.GatewayProblem;

/**
 * Where every request is recorded, once, when it ends: the request metric and latency, the counters of refusals by
 * authentication and rate limiting, and the access log line. Labels come from closed sets only (route ids, methods
 * outside the standard ones as {@code OTHER}, status classes, outcome labels the gateway defines), so nothing a
 * client sends can create a new metric series.
 */
public final class RequestRecorder {

    private final GatewayMetrics metrics;
    private final AccessLog accessLog;

    public RequestRecorder(GatewayMetrics metrics, AccessLog accessLog) {
        this.metrics = metrics;
        this.accessLog = accessLog;
    }

    /**
     * Records one request.
     *
     * @param entry   what the access log writes (the metric takes its route, method, status, outcome and duration)
     * @param refusal the problem the gateway answered with itself, or null
     */
    public void record(AccessLog.Entry entry, GatewayProblem refusal) {
        String route = entry.route() == null ? "none" : entry.route();
        metrics.request(route, entry.method(), entry.status(), entry.outcome(), entry.durationNanos());
        if (refusal != null) {
            switch (refusal) {
                case UNAUTHENTICATED, INVALID_CREDENTIALS, INSUFFICIENT_SCOPE, AUTH_UNAVAILABLE, TOO_MANY_AUTH_FAILURES ->
                        metrics.authFailure(route, entry.outcome());
                case RATE_LIMITED -> metrics.rateLimited(route, "limit");
                case RATE_LIMITER_UNAVAILABLE -> metrics.rateLimited(route, "redis-unavailable");
                default -> {
                    // no counter of its own: the request metric's outcome says it
                }
            }
        }
        if (accessLog.enabled()) {
            accessLog.write(entry);
        }
    }

    /** Whether the access log is written (callers may skip gathering what only it needs). */
    public boolean accessLogEnabled() {
        return accessLog.enabled();
    }
}
