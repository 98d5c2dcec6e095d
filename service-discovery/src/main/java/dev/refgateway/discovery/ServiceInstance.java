package dev.refgateway.discovery;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One running instance of a service, as Consul reports it.
 *
 * @param id       the Consul service id, unique per instance (for example {@code user-service-10.0.0.5-8081})
 * @param service  the logical service name (for example {@code user-service})
 * @param host     the address the instance advertised; reachable by its callers
 * @param port     the port the instance advertised
 * @param tags     Consul tags
 * @param metadata Consul service metadata (at least {@code version})
 */
public record ServiceInstance(String id,
                              String service,
                              String host,
                              int port,
                              List<String> tags,
                              Map<String, String> metadata) {

    public ServiceInstance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
        }
        tags = List.copyOf(tags);
        metadata = Map.copyOf(metadata);
    }

    /** Base URI of the instance, {@code http://host:port}. */
    public URI baseUri() {
        return URI.create("http://" + hostForUri() + ":" + port);
    }

    /** {@code host:port}, bracketing IPv6 literals. */
    public String authority() {
        return hostForUri() + ":" + port;
    }

    private String hostForUri() {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
