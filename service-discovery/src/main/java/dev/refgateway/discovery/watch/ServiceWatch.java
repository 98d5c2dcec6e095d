package dev.refgateway.discovery.watch;

import java.time.Duration;
import java.util.function.Consumer;

import dev.refgateway.discovery.InstanceSnapshot;

/**
 * The passing instances of one service as Consul reports them, however they are watched: by a blocking query of
 * their own ({@link HealthyInstancesWatch}, for a client of one or a few services) or through one watch shared by
 * many services ({@link SharedServicesWatch}, for a gateway).
 * <p>
 * Readers never block: {@link #snapshot()} is one volatile read. While Consul is unreachable the last good snapshot
 * stays in place and {@link #staleness()} grows. Listeners hear only of changes to the passing set.
 */
public interface ServiceWatch extends AutoCloseable {

    String service();

    /** The latest passing instances; empty until Consul first answered. Never blocks. */
    InstanceSnapshot snapshot();

    /** Whether Consul has answered at least once. */
    boolean hasSnapshot();

    /** Waits for Consul's first answer; false when {@code timeout} passed first. */
    boolean awaitFirstSnapshot(Duration timeout) throws InterruptedException;

    /**
     * How long ago Consul last answered. A healthy blocking watch is in contact at all times (a query is always
     * open), so this is zero while Consul is reachable and grows only during an outage.
     */
    Duration staleness();

    /** Whether the last call to Consul succeeded. */
    boolean isConsulReachable();

    /**
     * Calls {@code listener} with every new passing set (on a watch thread; keep it short). If a snapshot already
     * exists the listener is called with it at once, so it never misses the current state.
     */
    void addListener(Consumer<InstanceSnapshot> listener);

    /** Stops watching; the last snapshot stays readable. */
    @Override
    void close();
}
