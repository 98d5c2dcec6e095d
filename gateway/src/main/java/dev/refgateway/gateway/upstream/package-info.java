/**
 * The instances of every routed service and the gateway's view of each: discovered through Consul's blocking-query
 * watch ({@link dev.refgateway.gateway.upstream.Upstreams}), passive ejection
 * ({@link dev.refgateway.gateway.upstream.OutlierDetector}), a circuit breaker per instance, and round robin over the
 * eligible ones ({@link dev.refgateway.gateway.upstream.InstancePicker}, on service-discovery's balancer).
 * <p>
 * Owns the {@code outlier}, {@code circuit-breaker} and {@code bulkhead} settings (the latter two handed to Helidon
 * Fault Tolerance as its own configs). Uses service-discovery and {@code config}; nothing of the request path.
 */
package dev.refgateway.gateway.upstream;
