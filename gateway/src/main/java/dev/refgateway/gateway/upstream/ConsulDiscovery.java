package dev.refgateway.gateway.upstream;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.refgateway.discovery.ConsulSettings;
import dev.refgateway.discovery.watch.SharedServicesWatch;
import dev.refgateway.discovery.watch.WatchSettings;

import org.kiwiproject.consul.Consul;

/**
 * The gateway's way into Consul: one client, built on a thread of its own beside the server (its HTTP stack, JSON
 * mapper and TLS defaults are a good part of the start-up), and one watch shared by every routed service — two
 * blocking queries per gateway replica however many services it routes to ({@link SharedServicesWatch}).
 */
public final class ConsulDiscovery implements AutoCloseable {

    private static final Logger LOG = System.getLogger(ConsulDiscovery.class.getName());

    private final CompletableFuture<Consul> client;
    private final CompletableFuture<SharedServicesWatch> watch;

    private ConsulDiscovery(CompletableFuture<Consul> client, WatchSettings settings) {
        this.client = client;
        this.watch = client.thenApply(consul -> SharedServicesWatch.start(consul, settings));
    }

    /** Starts building the client; returns at once. A failure is logged (the services then stay without instances). */
    public static ConsulDiscovery start(ConsulSettings consul, WatchSettings watch) {
        CompletableFuture<Consul> client = CompletableFuture.supplyAsync(
                consul::newClient, runnable -> Thread.ofVirtual().name("consul-client").start(runnable));
        client.exceptionally(e -> {
            LOG.log(Level.ERROR, "Could not create the Consul client", e);
            return null;
        });
        return new ConsulDiscovery(client, watch);
    }

    /** An instance source per service, each a view of the shared watch. */
    public List<InstanceSource> sources(Collection<String> services) {
        return services.stream().<InstanceSource>map(service -> ConsulInstances.start(client, watch, service)).toList();
    }

    /** Stops the watch and the client (the services' last snapshots stay readable). */
    @Override
    public void close() {
        watch.thenAccept(SharedServicesWatch::close);
        client.thenAccept(Consul::destroy);
    }
}
