package dev.refgateway.orders;

import java.time.Duration;
import java.util.Objects;

import io.helidon.config.Config;

/**
 * How order-service reaches user-service.
 *
 * <pre>
 * users:
 *   service: user-service    # env USERS_SERVICE: the name user-service registers in Consul
 *   timeout: PT2S            # env USERS_TIMEOUT: the whole lookup, the retry on a second instance included
 *   connect-timeout: PT1S    # per connection attempt; capped at timeout
 * </pre>
 *
 * @param service        Consul service name of user-service
 * @param timeout        upper bound of one lookup, retry included
 * @param connectTimeout upper bound of one TCP connect
 */
public record UserDirectorySettings(String service, Duration timeout, Duration connectTimeout) {

    public static final String DEFAULT_SERVICE = "user-service";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);

    public UserDirectorySettings {
        Objects.requireNonNull(service, "service");
        if (service.isBlank()) {
            throw new IllegalArgumentException("users.service: '" + service + "' (expected: a Consul service name)");
        }
        requirePositive("users.timeout", timeout);
        requirePositive("users.connect-timeout", connectTimeout);
        if (connectTimeout.compareTo(timeout) > 0) {
            connectTimeout = timeout;
        }
    }

    /** Reads the {@code users} config node; every key is optional. */
    public static UserDirectorySettings create(Config users) {
        return new UserDirectorySettings(
                users.get("service").asString().orElse(DEFAULT_SERVICE),
                users.get("timeout").as(Duration.class).orElse(DEFAULT_TIMEOUT),
                users.get("connect-timeout").as(Duration.class).orElse(DEFAULT_CONNECT_TIMEOUT));
    }

    private static void requirePositive(String key, Duration value) {
        Objects.requireNonNull(value, key);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + ": " + value + " (expected: > 0)");
        }
    }
}
