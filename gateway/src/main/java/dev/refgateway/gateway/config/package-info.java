/**
 * How configuration is read, not what it holds: each capability declares its section once as an option table
 * ({@link dev.refgateway.gateway.config.Options} of {@link dev.refgateway.gateway.config.Option}s: key, type, default,
 * rule, description), and that one declaration reads the section, checks records built in code, and generates
 * {@code docs/configuration.md}. Every error names the full key, the bad value and what was expected, with "did you
 * mean" for an unknown key. Uses nothing else of the gateway.
 */
package dev.refgateway.gateway.config;
