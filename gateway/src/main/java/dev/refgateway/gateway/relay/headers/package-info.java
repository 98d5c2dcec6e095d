/**
 * Header rules of the relay, called on every request: which headers cross a hop
 * ({@link dev.refgateway.gateway.relay.headers.HopByHopHeaders}), which client headers never reach an instance
 * ({@link dev.refgateway.gateway.relay.headers.UntrustedHeaders}), the {@code X-Forwarded-*} headers and the client
 * address ({@link dev.refgateway.gateway.relay.headers.ForwardedHeaders},
 * {@link dev.refgateway.gateway.relay.headers.TrustedProxies}) and request correlation
 * ({@link dev.refgateway.gateway.relay.headers.RequestIds}).
 * <p>
 * Everything here is stateless or immutable after start-up: no locks, no regular expressions, no DNS, and no
 * allocation beyond the values returned on the common path, save the address Guava parses for
 * {@link dev.refgateway.gateway.relay.headers.TrustedProxies}. Uses only {@code http1}, Helidon's header types and
 * Guava's {@code InetAddresses}.
 */
package dev.refgateway.gateway.relay.headers;
