package dev.refgateway.support;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.refgateway.discovery.registration.HealthCheckSettings;

import io.helidon.config.Config;

/**
 * How this instance presents itself in Consul, and how it shuts down.
 *
 * <pre>
 * instance:
 *   host: 127.0.0.1          # env INSTANCE_HOST: the address callers (the gateway) use to reach this instance
 *   id:                      # env INSTANCE_ID; default: service-host-port
 *   version: 1.0.0
 *   tags: [users]
 *   check: { path: /observe/health/ready, interval: PT1S, timeout: PT1S, deregister-critical-after: PT1M }
 *   drain:
 *     period: PT2S           # after deregistering, keep serving this long: callers may still hold the old list
 *     timeout: PT10S         # then wait at most this long for requests still in flight
 * </pre>
 *
 * @param host         advertised address
 * @param id           instance id; empty means service-host-port
 * @param version      version put in Consul metadata
 * @param tags         Consul tags
 * @param check        the readiness check Consul runs
 * @param drainPeriod  how long to keep serving after deregistration
 * @param drainTimeout how long to wait for in-flight requests after the drain period
 */
public record InstanceSettings(String host,
                               Optional<String> id,
                               String version,
                               List<String> tags,
                               HealthCheckSettings check,
                               Duration drainPeriod,
                               Duration drainTimeout) {

    public InstanceSettings {
        tags = List.copyOf(tags);
        if (drainPeriod.isNegative()) {
            throw new IllegalArgumentException("instance.drain.period: " + drainPeriod + " (expected: >= 0)");
        }
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("instance.drain.timeout: " + drainTimeout + " (expected: >= 0)");
        }
    }

    /** Reads the {@code instance} config node; every key is optional. */
    public static InstanceSettings create(Config instance) {
        return new InstanceSettings(
                instance.get("host").asString().orElse("127.0.0.1"),
                instance.get("id").asString().filter(id -> !id.isBlank()),
                instance.get("version").asString().orElse("1.0.0"),
                instance.get("tags").asList(String.class).orElse(List.of()),
                HealthCheckSettings.create(instance.get("check")),
                instance.get("drain.period").as(Duration.class).orElse(Duration.ofSeconds(2)),
                instance.get("drain.timeout").as(Duration.class).orElse(Duration.ofSeconds(10)));
    }
}
