/**
 * What the gateway reports: its meters ({@link dev.refgateway.gateway.observability.GatewayMetrics}, labels from
 * closed sets only), the JSON access log, and the one place a request is recorded when it ends
 * ({@link dev.refgateway.gateway.observability.RequestRecorder}).
 * <p>
 * Uses {@code problem} and the event interfaces of the packages it counts for; the request path calls it.
 */
package dev.refgateway.gateway.observability;
