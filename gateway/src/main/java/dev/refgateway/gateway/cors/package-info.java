/**
 * CORS per route, decided by the gateway: preflights answered without reaching a backend, the
 * {@code Access-Control-*} headers of actual requests written by the gateway alone.
 * <p>
 * {@link dev.refgateway.gateway.cors.CorsPolicies} holds one {@link dev.refgateway.gateway.cors.CorsPolicy} per
 * route with CORS, built once at start-up from {@link dev.refgateway.gateway.cors.CorsSettings}; a request gets a
 * {@link dev.refgateway.gateway.cors.CorsDecision} that the proxy writes to the response. Owns {@code gateway.cors}
 * and the routes' {@code cors} ({@link dev.refgateway.gateway.cors.CorsRules}). Uses {@code routing}, {@code http1}
 * and {@code config}.
 */
package dev.refgateway.gateway.cors;
