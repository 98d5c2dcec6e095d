package dev.refgateway.gateway.upstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import dev.refgateway.discovery.InstanceSnapshot;
import dev.refgateway.discovery.ServiceInstance;
import dev.refgateway.discovery.watch.HealthyInstancesWatch;
import dev.refgateway.discovery.watch.ServiceWatch;
import dev.refgateway.discovery.watch.SharedServicesWatch;

import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.model.health.HealthCheck;
import org.kiwiproject.consul.model.health.ServiceHealth;

/**
 * A service's passing instances as Consul reports them: its view of the gateway's one shared watch
 * ({@link ConsulDiscovery}), and, for the admin view only, every instance with its checks read on demand (the request
 * path never asks Consul).
 * <p>
 * The Consul client is built while the server starts, not before it (its HTTP stack, JSON mapper and TLS defaults
 * are a good part of the start-up): the watch begins as soon as the client is there. Until then the service has no
 * snapshot, which readiness reports, as it does while Consul has not answered yet.
 */
public final class ConsulInstances implements InstanceSource {

    private final String service;
    private final CompletableFuture<Consul> consul;
    private final List<Consumer<InstanceSnapshot>> early = new ArrayList<>();
    private volatile ServiceWatch watch;
    private volatile CompletableFuture<ServiceWatch> started;
    private volatile boolean closed;

    private ConsulInstances(String service, CompletableFuture<Consul> consul) {
        this.service = service;
        this.consul = consul;
    }

    /** Watches {@code service} once {@code watch} has started; returns at once. */
    static ConsulInstances start(CompletableFuture<Consul> consul, CompletableFuture<SharedServicesWatch> watch,
                                 String service) {
        ConsulInstances instances = new ConsulInstances(service, consul);
        instances.started = watch.thenApply(shared -> instances.watchWith(shared.service(service)));
        return instances;
    }

    private synchronized ServiceWatch watchWith(ServiceWatch begun) {
        early.forEach(begun::addListener);
        early.clear();
        watch = begun;
        if (closed) {
            begun.close();
        }
        return begun;
    }

    @Override
    public String service() {
        return service;
    }

    @Override
    public String kind() {
        return "consul";
    }

    @Override
    public InstanceSnapshot snapshot() {
        ServiceWatch current = watch;
        return current == null ? InstanceSnapshot.empty(service) : current.snapshot();
    }

    @Override
    public boolean hasSnapshot() {
        ServiceWatch current = watch;
        return current != null && current.hasSnapshot();
    }

    @Override
    public boolean awaitFirstSnapshot(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ServiceWatch begun;
        try {
            begun = started.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
        return begun.awaitFirstSnapshot(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    @Override
    public Duration staleness() {
        ServiceWatch current = watch;
        return current == null ? Duration.ZERO : current.staleness();
    }

    @Override
    public boolean isReachable() {
        ServiceWatch current = watch;
        return current != null && current.isConsulReachable();
    }

    @Override
    public synchronized void addListener(Consumer<InstanceSnapshot> listener) {
        if (watch == null) {
            early.add(listener);
        } else {
            watch.addListener(listener);
        }
    }

    /** Every registered instance with its worst check; empty when Consul cannot be asked. */
    @Override
    public Map<String, Listed> everyInstance() {
        Map<String, Listed> out = new TreeMap<>();
        try {
            Consul client = consul.getNow(null);
            if (client == null) {
                return Map.of();
            }
            for (ServiceHealth health : client.healthClient().getAllServiceInstances(service).getResponse()) {
                ServiceInstance instance = HealthyInstancesWatch.toInstance(health);
                out.put(instance.id(), new Listed(instance, worst(health)));
            }
        } catch (RuntimeException e) {
            return Map.of();
        }
        return out;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (watch != null) {
            watch.close();
        }
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
