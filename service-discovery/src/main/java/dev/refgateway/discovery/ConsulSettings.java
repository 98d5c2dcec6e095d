package dev.refgateway.discovery;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import io.helidon.config.Config;

import org.kiwiproject.consul.Consul;

/**
 * How to reach the Consul agent.
 *
 * <pre>
 * consul:
 *   url: http://127.0.0.1:8500   # env CONSUL_URL
 *   token: ...                   # ACL token, optional (env CONSUL_TOKEN)
 *   connect-timeout: PT2S
 *   request-timeout: PT5S        # for non-blocking calls; blocking queries get wait + margin
 * </pre>
 *
 * @param url            base URL of the local Consul agent's HTTP API
 * @param token          ACL token, if the agent requires one
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout read timeout of ordinary (non-blocking) calls
 */
public record ConsulSettings(URI url, Optional<String> token, Duration connectTimeout, Duration requestTimeout) {

    public static final URI DEFAULT_URL = URI.create("http://127.0.0.1:8500");

    public ConsulSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** Settings for a Consul agent at {@code url}, with defaults for everything else. */
    public static ConsulSettings of(URI url) {
        return new ConsulSettings(url, Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    /** Reads the {@code consul} config node; every key is optional. */
    public static ConsulSettings create(Config consul) {
        return new ConsulSettings(
                consul.get("url").as(URI.class).orElse(DEFAULT_URL),
                consul.get("token").asString().filter(t -> !t.isBlank()),
                consul.get("connect-timeout").as(Duration.class).orElse(Duration.ofSeconds(2)),
                consul.get("request-timeout").as(Duration.class).orElse(Duration.ofSeconds(5)));
    }

    /**
     * A new Consul client. It does not contact the agent (no ping), so a service can start before Consul does.
     * The client adjusts its read timeout per blocking query ({@code wait} plus a margin) by itself.
     */
    public Consul newClient() {
        Consul.Builder builder = Consul.builder()
                .withUrl(url.toString())
                .withPing(false)
                .withConnectTimeoutMillis(connectTimeout.toMillis())
                .withReadTimeoutMillis(requestTimeout.toMillis())
                .withWriteTimeoutMillis(requestTimeout.toMillis());
        token.ifPresent(builder::withAclToken);
        return builder.build();
    }
}
