package dev.refgateway.gateway.admin;

import java.util.Map;
import java.util.TreeMap;

import dev.refgateway.discovery.ServiceInstance;

import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.model.health.HealthCheck;
import org.kiwiproject.consul.model.health.Service;
import org.kiwiproject.consul.model.health.ServiceHealth;

/**
 * Every instance of a service with its Consul health, passing or not, read on demand for the admin view (the
 * request path only ever sees the passing set the watch keeps).
 */
public final class ConsulHealthView {

    private final Consul consul;

    public ConsulHealthView(Consul consul) {
        this.consul = consul;
    }

    /** An instance and its aggregated Consul status (passing, warning or critical). */
    public record Entry(ServiceInstance instance, String status) {
    }

    /** Instances by id; empty when Consul cannot be asked. */
    public Map<String, Entry> instances(String service) {
        Map<String, Entry> out = new TreeMap<>();
        try {
            for (ServiceHealth health : consul.healthClient().getAllServiceInstances(service).getResponse()) {
                Service s = health.getService();
                String host = s.getAddress() == null || s.getAddress().isBlank()
                        ? health.getNode().getAddress() : s.getAddress();
                ServiceInstance instance = new ServiceInstance(s.getId(), s.getService(), host, s.getPort(),
                                                               s.getTags(), s.getMeta());
                out.put(instance.id(), new Entry(instance, worst(health)));
            }
        } catch (RuntimeException e) {
            return Map.of();
        }
        return out;
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
