package dev.refgateway.gateway.config;

/**
 * The gateway's configuration is invalid. The message names the full key and the bad value, for example
 * {@code gateway.routes[2].path: "users/**" (expected: starts with '/')}; the gateway refuses to start.
 */
public class ConfigException extends IllegalArgumentException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
