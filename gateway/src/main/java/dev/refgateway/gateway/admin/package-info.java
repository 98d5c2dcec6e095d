/**
 * The admin API on the admin socket: the route table, every instance with the gateway's view of it and why it would
 * or would not be picked ({@link dev.refgateway.gateway.admin.AdminService}), behind an optional bearer token. Uses
 * {@code routing}, {@code upstream}, {@code failover} (a route's retry settings), {@code problem} and
 * {@code config} (the {@code admin} section, {@link dev.refgateway.gateway.admin.AdminSettings}).
 */
package dev.refgateway.gateway.admin;
