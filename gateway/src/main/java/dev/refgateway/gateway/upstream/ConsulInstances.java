package dev.refgateway.gateway.upstream;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import dev.refgateway.discovery.InstanceSnapshot;
import dev.refgateway.discovery.ServiceInstance;
import dev.refgateway.discovery.watch.HealthyInstancesWatch;
import dev.refgateway.discovery.watch.WatchSettings;

import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.model.health.HealthCheck;
import org.kiwiproject.consul.model.health.ServiceHealth;

/**
 * A service's passing instances as Consul reports them: service-discovery's blocking-query watch, and, for the admin
 * view only, every instance with its checks read on demand (the request path never asks Consul).
 */
public final class ConsulInstances implements InstanceSource {

    private final Consul consul;
    private final HealthyInstancesWatch watch;

    private ConsulInstances(Consul consul, HealthyInstancesWatch watch) {
        this.consul = consul;
        this.watch = watch;
    }

    /** Starts watching {@code service}; returns at once. */
    public static ConsulInstances start(Consul consul, String service, WatchSettings settings) {
        return new ConsulInstances(consul, HealthyInstancesWatch.start(consul, service, settings));
    }

    @Override
    public String service() {
        return watch.service();
    }

    @Override
    public String kind() {
        return "consul";
    }

    @Override
    public InstanceSnapshot snapshot() {
        return watch.snapshot();
    }

    @Override
    public boolean hasSnapshot() {
        return watch.hasSnapshot();
    }

    @Override
    public boolean awaitFirstSnapshot(Duration timeout) throws InterruptedException {
        return watch.awaitFirstSnapshot(timeout);
    }

    @Override
    public Duration staleness() {
        return watch.staleness();
    }

    @Override
    public boolean isReachable() {
        return watch.isConsulReachable();
    }

    @Override
    public void addListener(Consumer<InstanceSnapshot> listener) {
        watch.addListener(listener);
    }

    /** Every registered instance with its worst check; empty when Consul cannot be asked. */
    @Override
    public Map<String, Listed> everyInstance() {
        Map<String, Listed> out = new TreeMap<>();
        try {
            for (ServiceHealth health : consul.healthClient().getAllServiceInstances(service()).getResponse()) {
                ServiceInstance instance = HealthyInstancesWatch.toInstance(health);
                out.put(instance.id(), new Listed(instance, worst(health)));
            }
        } catch (RuntimeException e) {
            return Map.of();
        }
        return out;
    }

    @Override
    public void close() {
        watch.close();
    }

    private static String worst(ServiceHealth health) {
        String status = "passing";
        for (HealthCheck check : health.getChecks()) {
            String s = check.getStatus();
            if ("critical".equals(s)) {
                return "critical";
            }
            if ("warning".equals(s)) {
                status = "warning";
            }
        }
        return status;
    }
}
