package dev.refgateway.discovery.registration;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one running instance tells Consul about itself.
 *
 * @param serviceName the logical service name, shared by all instances
 * @param instanceId  unique per instance; re-registering the same id replaces the entry
 * @param address     the address callers use to reach this instance (in Consul's dev mode the node address is
 *                    127.0.0.1, so every instance must advertise its own)
 * @param port        the port callers use
 * @param tags        Consul tags
 * @param metadata    Consul service metadata; must contain {@code version}
 * @param check       how often Consul checks the instance, and (HTTP) which path it asks
 * @param checkKind   how: an HTTP GET of {@code check.path}, or gRPC's {@code grpc.health.v1.Health/Check} on the
 *                    port (an instance that serves only gRPC has no HTTP path to ask)
 */
public record ServiceRegistration(String serviceName,
                                  String instanceId,
                                  String address,
                                  int port,
                                  List<String> tags,
                                  Map<String, String> metadata,
                                  HealthCheckSettings check,
                                  CheckKind checkKind) {

    /** How Consul checks an instance. */
    public enum CheckKind {
        /** {@code GET http://address:port/path}: 2xx passing, 429 warning, anything else critical. */
        HTTP,
        /** gRPC's standard health service on {@code address:port}: SERVING passing, anything else critical. */
        GRPC
    }

    /** An instance checked over HTTP. */
    public ServiceRegistration(String serviceName, String instanceId, String address, int port, List<String> tags,
                               Map<String, String> metadata, HealthCheckSettings check) {
        this(serviceName, instanceId, address, port, tags, metadata, check, CheckKind.HTTP);
    }

    public ServiceRegistration {
        requireText("serviceName", serviceName);
        requireText("instanceId", instanceId);
        requireText("address", address);
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
        }
        tags = List.copyOf(tags);
        metadata = Map.copyOf(metadata);
        if (!metadata.containsKey("version")) {
            throw new IllegalArgumentException("metadata: " + metadata + " (expected: a 'version' entry)");
        }
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(checkKind, "checkKind");
    }

    /** The conventional instance id: {@code name-address-port}, unique as long as address and port are. */
    public static String defaultInstanceId(String serviceName, String address, int port) {
        return serviceName + "-" + address.replace(':', '_') + "-" + port;
    }

    /** The URL Consul's HTTP check calls. */
    public String checkUrl() {
        return "http://" + hostPort() + check.path();
    }

    /** {@code address:port} ({@code [address]:port} for IPv6): what Consul's gRPC check connects to. */
    public String hostPort() {
        String host = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
        return host + ":" + port;
    }

    private static void requireText(String name, String value) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + ": '" + value + "' (expected: not blank)");
        }
    }
}
