/**
 * The gateway's settings, read and checked once at start-up from the {@code gateway} and {@code admin} sections:
 * every error names the full key, the bad value and what was expected (with "did you mean" for unknown keys).
 * Records per section; {@code ConfigNode} does the reading.
 */
package dev.refgateway.gateway.config;
