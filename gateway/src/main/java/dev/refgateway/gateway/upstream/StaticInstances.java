package dev.refgateway.gateway.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import dev.refgateway.discovery.InstanceSnapshot;
import dev.refgateway.discovery.ServiceInstance;

/**
 * A service whose instances the configuration lists ({@code instances: [host:port, ...]} on its routes): no
 * discovery, no health checks from outside — passive ejection and the circuit breakers are their health. Lets the
 * gateway run without Consul, for a quick try or a backend that is not registered anywhere.
 */
public final class StaticInstances implements InstanceSource {

    private final InstanceSnapshot snapshot;

    /** @param addresses {@code host:port} each, already validated ({@code [v6]:port} for IPv6) */
    public StaticInstances(String service, List<String> addresses) {
        List<ServiceInstance> instances = new ArrayList<>();
        for (String address : addresses) {
            int colon = address.lastIndexOf(':');
            String host = address.substring(0, colon);
            if (host.startsWith("[")) {
                host = host.substring(1, host.length() - 1);
            }
            instances.add(new ServiceInstance(address, service, host, Integer.parseInt(address.substring(colon + 1)),
                                              List.of("static"), Map.of()));
        }
        this.snapshot = new InstanceSnapshot(service, instances, 0, Instant.now());
    }

    @Override
    public String service() {
        return snapshot.service();
    }

    @Override
    public String kind() {
        return "static";
    }

    @Override
    public InstanceSnapshot snapshot() {
        return snapshot;
    }

    @Override
    public boolean hasSnapshot() {
        return true;
    }

    @Override
    public boolean awaitFirstSnapshot(Duration timeout) {
        return true;
    }

    @Override
    public Duration staleness() {
        return Duration.ZERO;
    }

    @Override
    public boolean isReachable() {
        return true;
    }

    /** The list never changes: a listener hears it once, now. */
    @Override
    public void addListener(Consumer<InstanceSnapshot> listener) {
        listener.accept(snapshot);
    }

    @Override
    public Map<String, Listed> everyInstance() {
        Map<String, Listed> all = new TreeMap<>();
        for (ServiceInstance instance : snapshot.instances()) {
            all.put(instance.id(), new Listed(instance, "static"));
        }
        return all;
    }

    @Override
    public void close() {
        // nothing runs
    }
}
