/**
 * Rate limits per route and caller: token buckets in the replica's memory (bounded, idle ones dropped) or shared in
 * Redis so that replicas agree ({@link dev.refgateway.gateway.ratelimit.RateLimiter}), and the {@code RateLimit-*}
 * headers. Owns {@code gateway.rate-limit} and the routes' {@code rate-limit}. Uses {@code routing}, {@code security}
 * (who the caller is) and {@code config}.
 */
package dev.refgateway.gateway.ratelimit;
