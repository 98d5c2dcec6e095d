package dev.refgateway.gateway.admin;

import java.util.Optional;

import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;

import io.helidon.config.Config;

/**
 * The admin socket: the admin API ({@code /admin}), health and metrics ({@code /observe}). It has no place on the
 * public port and, by default, none off this machine: it listens on the loopback address unless told otherwise.
 *
 * @param port  see {@link #PORT}
 * @param host  see {@link #HOST}
 * @param token see {@link #TOKEN}; empty: none
 */
public record AdminSettings(int port, String host, Optional<String> token) {

    /** The shortest token accepted: 16 random characters are not guessed over a network. */
    public static final int MIN_TOKEN_LENGTH = 16;

    public static final Option.Int PORT = Option.integer("port", 8090, 0, 65535,
                                                         "The admin port (env ADMIN_PORT); 0: any free one.");
    public static final Option.Text HOST = Option.text(
            "host", "127.0.0.1", text -> !text.isBlank(), "an address to listen on",
            "The address to listen on (env ADMIN_HOST); 0.0.0.0 where probes and Prometheus come from other "
                    + "machines (containers, Kubernetes), and then keep the port off the internet.");
    public static final Option.Text TOKEN = Option.secret(
            "token", text -> text.isEmpty() || text.length() >= MIN_TOKEN_LENGTH,
            "empty, or at least " + MIN_TOKEN_LENGTH + " characters, e.g. openssl rand -hex 16",
            "When set (env ADMIN_TOKEN), /admin wants \"Authorization: Bearer TOKEN\"; /observe does not, since "
                    + "probes and Prometheus read it.");
    public static final Options OPTIONS = Options.of(
            "admin", "The admin socket: /admin and /observe.", PORT, HOST, TOKEN);

    public AdminSettings {
        PORT.check(port);
        HOST.check(host);
        token.ifPresent(TOKEN::check);
    }

    /** Reads the {@code admin} node; every key is optional. */
    public static AdminSettings create(Config admin) {
        return OPTIONS.build(ConfigNode.of(admin), values -> new AdminSettings(
                values.get(PORT), values.get(HOST), Optional.of(values.get(TOKEN)).filter(token -> !token.isEmpty())));
    }
}
