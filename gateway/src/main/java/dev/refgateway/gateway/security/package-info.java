/**
 * Who the caller is and what a route lets them do: API keys, JWTs (with a JWKS cache), scopes per method
 * ({@link dev.refgateway.gateway.security.RouteGuard}), the identity headers instances get, and the throttle of
 * failed attempts per client address ({@link dev.refgateway.gateway.security.AuthFailureThrottle}). Decided before any
 * instance is touched. Owns {@code gateway.security}. Uses {@code routing} (the route's policy) and {@code config}.
 */
package dev.refgateway.gateway.security;
