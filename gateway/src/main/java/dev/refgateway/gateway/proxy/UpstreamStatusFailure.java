package dev.refgateway.gateway.proxy;

import io.helidon.webclient.http1.Http1ClientResponse;

/**
 * Carries a 5xx answer out of the instance's circuit breaker, which counts only exceptions as failures. The caller
 * catches it and still has the response to relay or to retry.
 */
final class UpstreamStatusFailure extends RuntimeException {

    private final transient Http1ClientResponse response;

    UpstreamStatusFailure(Http1ClientResponse response) {
        super("status " + response.status().code(), null, false, false);
        this.response = response;
    }

    Http1ClientResponse response() {
        return response;
    }
}
