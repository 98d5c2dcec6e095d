package dev.refgateway.discovery.testing;

import java.util.function.Consumer;

import dev.refgateway.discovery.watch.HealthyInstancesWatch;
import dev.refgateway.discovery.watch.ServiceWatch;
import dev.refgateway.discovery.watch.SharedServicesWatch;
import dev.refgateway.discovery.watch.WatchSettings;

import org.kiwiproject.consul.Consul;

/** The two ways of watching a service; tests of watching run with both, which must tell the same story. */
public enum WatchKind {
    /** A blocking query of its own ({@link HealthyInstancesWatch}). */
    PER_SERVICE,
    /** A view of a watch shared by many services ({@link SharedServicesWatch}), here started for this one. */
    SHARED;

    /** Starts watching {@code service}; everything to close afterwards (the watch last) is handed to {@code track}. */
    public ServiceWatch start(Consul consul, String service, Consumer<AutoCloseable> track) {
        ServiceWatch watch = switch (this) {
            case PER_SERVICE -> HealthyInstancesWatch.start(consul, service);
            case SHARED -> {
                SharedServicesWatch shared = SharedServicesWatch.start(consul, WatchSettings.defaults());
                track.accept(shared);
                yield shared.service(service);
            }
        };
        track.accept(watch);
        return watch;
    }

    /** A service name of this kind's own: runs of both kinds may share one agent. */
    public String name(String base) {
        return base + (this == PER_SERVICE ? "-per-service" : "-shared");
    }
}
