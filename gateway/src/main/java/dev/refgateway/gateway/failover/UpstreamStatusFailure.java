package dev.refgateway.gateway.failover;

import dev.refgateway.gateway.relay.UpstreamResponse;

/**
 * Carries a 5xx answer out of the instance's circuit breaker, which counts only exceptions as failures. The caller
 * catches it and still has the answer to relay or to retry.
 */
final class UpstreamStatusFailure extends RuntimeException {

    private final transient UpstreamResponse response;

    UpstreamStatusFailure(UpstreamResponse response) {
        super("status " + response.status(), null, false, false);
        this.response = response;
    }

    UpstreamResponse response() {
        return response;
    }
}
