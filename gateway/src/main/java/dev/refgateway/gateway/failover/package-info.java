/**
 * Failover: one request tried on instance after instance ({@link dev.refgateway.gateway.failover.Failover}) — the
 * retry policy ({@link dev.refgateway.gateway.failover.RetryPolicy}: what is safe to retry, the retry budget,
 * back-off), how a failed attempt is classified ({@link dev.refgateway.gateway.failover.FailureClassifier}), the
 * instances tried and the log of attempts.
 * <p>
 * Owns a route's time limits and retry settings ({@link dev.refgateway.gateway.failover.RoutePolicy},
 * {@link dev.refgateway.gateway.failover.RetrySettings}). Uses {@code upstream} (instances, ejection, circuit
 * breakers, round robin), {@code relay} (the answers), {@code problem} and {@code config}.
 */
package dev.refgateway.gateway.failover;
