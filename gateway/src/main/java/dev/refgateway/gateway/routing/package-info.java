/**
 * Routes: path patterns, host and header conditions, rewrites, and the table that finds the most specific route for
 * a request ({@link dev.refgateway.gateway.routing.RouteTable}). Immutable after start-up; decides on the canonical
 * path the edge computed. A route carries its policy ({@code failover}) and what its authentication demands
 * ({@link dev.refgateway.gateway.routing.RouteAuth}). Uses {@code http1} and {@code failover}.
 */
package dev.refgateway.gateway.routing;
