package dev.refgateway.gateway.upstream;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import dev.refgateway.discovery.InstanceSnapshot;
import dev.refgateway.discovery.ServiceInstance;

/**
 * Where one service's instances come from: Consul's health watch ({@link ConsulInstances}) or a list in the
 * configuration ({@link StaticInstances}, Envoy's STATIC cluster). The rest of the gateway — round robin, ejection,
 * failover — neither knows nor cares which; tests feed an {@link Upstream} directly.
 */
public interface InstanceSource extends AutoCloseable {

    String service();

    /** Where the instances come from, for the admin view and logs: {@code consul} or {@code static}. */
    String kind();

    /** The instances to route to now; one volatile read. */
    InstanceSnapshot snapshot();

    /** Whether the source has answered once (readiness). */
    boolean hasSnapshot();

    /** Waits for the first answer; false when {@code timeout} passed first. */
    boolean awaitFirstSnapshot(Duration timeout) throws InterruptedException;

    /** How old the snapshot may be: zero while the source is in contact. */
    Duration staleness();

    /** Whether the source can be asked at the moment. */
    boolean isReachable();

    /** Called with every snapshot whose instances differ from the last. */
    void addListener(Consumer<InstanceSnapshot> listener);

    /**
     * Every instance the source knows, routable or not, with its health as the source sees it ({@code passing},
     * {@code critical}, {@code static}), by id; for the admin view, so it may ask the source and be slow.
     */
    Map<String, Listed> everyInstance();

    @Override
    void close();

    /** An instance and its health as the source sees it. */
    record Listed(ServiceInstance instance, String status) {
    }
}
