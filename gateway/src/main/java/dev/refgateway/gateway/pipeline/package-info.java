/**
 * A request's way through the gateway, as stages run in order by
 * {@link dev.refgateway.gateway.pipeline.GatewayHandler}: edge (request id, client address) → route → CORS →
 * authentication → rate limit → forward (failover and relay). Each stage is a small class that calls into the
 * package of its capability; refusals are rendered in one place, metrics and the access log written once.
 * <p>
 * The top of the request path: it may use every capability package; none of them uses it.
 * {@link dev.refgateway.gateway.pipeline.Pipeline} assembles it from the settings.
 */
package dev.refgateway.gateway.pipeline;
