/**
 * Routes: path patterns, host and header conditions, rewrites, and the table that finds the most specific route for
 * a request ({@link dev.refgateway.gateway.routing.RouteTable}). Immutable after start-up; decides on the canonical
 * path the edge computed. Uses {@code http1} and the retry settings of {@code config}.
 */
package dev.refgateway.gateway.routing;
