package dev.refgateway.gateway.config;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.helidon.config.Config;

/**
 * The admin socket: the admin API ({@code /admin}), health and metrics ({@code /observe}). It has no place on the
 * public port and, by default, none off this machine: it listens on the loopback address unless told otherwise.
 *
 * <pre>
 * admin:
 *   port: 8090          # env ADMIN_PORT
 *   host: 127.0.0.1     # env ADMIN_HOST; 0.0.0.0 where probes and Prometheus come from other machines
 *                       # (containers, Kubernetes) — then keep the port off the internet
 *   token: ""           # env ADMIN_TOKEN; when set, /admin wants "Authorization: Bearer TOKEN" (not /observe:
 *                       # probes and Prometheus read it)
 * </pre>
 *
 * @param port  the port; default 8090, 0 for any free one
 * @param host  the address to listen on; default 127.0.0.1
 * @param token the bearer token {@code /admin} wants; empty: none (at least 16 characters when set)
 */
public record AdminSettings(int port, String host, Optional<String> token) {

    private static final Set<String> KEYS = Set.of("port", "host", "token");

    public AdminSettings {
        Check.range("port", port, 0, 65535);
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(token, "token");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host: \"" + host + "\" (expected: an address)");
        }
        if (token.isPresent() && token.get().length() < 16) {
            throw new IllegalArgumentException("token: (redacted) (expected: at least 16 characters)");
        }
    }

    /** Reads the {@code admin} node; every key is optional. */
    public static AdminSettings create(Config admin) {
        ConfigNode node = ConfigNode.of(admin);
        node.allowOnly(KEYS);
        ConfigNode host = node.get("host");
        ConfigNode token = node.get("token");
        String tokenText = token.text().orElse("").strip();
        if (!tokenText.isEmpty() && tokenText.length() < 16) {
            throw new ConfigException(token.key() + ": (redacted, " + tokenText.length()
                    + " characters) (expected: at least 16 characters, e.g. openssl rand -hex 16)");
        }
        return new AdminSettings(node.get("port").intIn(8090, 0, 65535),
                                 host.exists() ? host.requiredText("an address to listen on") : "127.0.0.1",
                                 tokenText.isEmpty() ? Optional.empty() : Optional.of(tokenText));
    }
}
