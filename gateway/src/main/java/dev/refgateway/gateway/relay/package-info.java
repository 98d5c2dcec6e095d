/**
 * Talking to instances over HTTP/1.1: the gateway's own client ({@link dev.refgateway.gateway.relay.UpstreamClient}:
 * pooled keep-alive connections, strict answers, bytes after an answer never reused) and the streaming of an answer
 * back to the client ({@link dev.refgateway.gateway.relay.Relay}). Which headers go where is in {@code headers}.
 * <p>
 * Owns {@code gateway.proxy} ({@link dev.refgateway.gateway.relay.ProxySettings}). Uses {@code http1}, {@code config}
 * and service-discovery's instance type; knows nothing of routes, failover or policies.
 */
package dev.refgateway.gateway.relay;
