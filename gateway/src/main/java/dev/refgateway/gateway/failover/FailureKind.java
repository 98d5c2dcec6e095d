package dev.refgateway.gateway.failover;

/** How an attempt on one instance failed; decides whether a retry is safe and which status the client sees. */
public enum FailureKind {
    /** The connection could not be opened: nothing was sent, so a retry is safe for every method. */
    CONNECT_FAILURE("connect-failure", false),
    /** The instance's circuit breaker refused the call: nothing was sent. */
    CIRCUIT_OPEN("circuit-open", false),
    /** No answer within the per-try timeout: the instance may have acted on the request. */
    TIMEOUT("timeout", true),
    /** The connection broke after the request was (partly) sent. */
    RESET("reset", true),
    /** The answer broke HTTP/1.1's rules (framing, a control character in a header): it never reaches the client. */
    INVALID_RESPONSE("invalid-response", true),
    /** The instance answered with a status the route retries on (502, 503, 504 by default). */
    RETRYABLE_STATUS("status", true);

    private final String label;
    private final boolean requestMayHaveBeenProcessed;

    FailureKind(String label, boolean requestMayHaveBeenProcessed) {
        this.label = label;
        this.requestMayHaveBeenProcessed = requestMayHaveBeenProcessed;
    }

    /** Short name used in {@code Gateway-Attempts}, metrics and the admin view. */
    public String label() {
        return label;
    }

    /** Whether the instance may have processed the request; if so only idempotent requests are retried. */
    public boolean requestMayHaveBeenProcessed() {
        return requestMayHaveBeenProcessed;
    }
}
