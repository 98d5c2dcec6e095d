/**
 * Pure header rules of the proxy, called on every request: which headers cross a hop
 * ({@link dev.refgateway.gateway.relay.headers.HopByHopHeaders}), whether the client's framing is safe to forward
 * ({@link dev.refgateway.gateway.relay.headers.RequestFraming}), the {@code X-Forwarded-*} headers and the client
 * address ({@link dev.refgateway.gateway.relay.headers.ForwardedHeaders},
 * {@link dev.refgateway.gateway.relay.headers.TrustedProxies}) and request correlation
 * ({@link dev.refgateway.gateway.relay.headers.RequestIds}).
 * <p>
 * Everything here is stateless or immutable after start-up: no locks, no regular expressions, no DNS, and no
 * allocation beyond the values returned on the common path.
 */
package dev.refgateway.gateway.relay.headers;
