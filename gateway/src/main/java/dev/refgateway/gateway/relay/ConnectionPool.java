package dev.refgateway.gateway.relay;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Idle keep-alive connections, per instance. The most recently used is taken first (its TCP window is warm); the
 * oldest are closed once idle longer than the idle timeout, and at most {@code maxIdlePerInstance} are kept. A
 * connection the instance closed while it was idle, or that holds bytes nobody asked for, is dropped when it comes
 * out ({@link UpstreamConnection#stale()}), never used.
 */
final class ConnectionPool {

    private final Map<String, Idle> idle = new ConcurrentHashMap<>();
    private final int maxIdlePerInstance;
    private final long idleTimeoutNanos;
    private final Duration connectTimeout;

    ConnectionPool(int maxIdlePerInstance, Duration idleTimeout, Duration connectTimeout) {
        this.maxIdlePerInstance = maxIdlePerInstance;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.connectTimeout = connectTimeout;
    }

    /** An idle connection to the instance, or null when none is usable. */
    UpstreamConnection reuse(String instance) {
        Idle connections = idle.get(instance);
        if (connections == null) {
            return null;
        }
        long now = System.nanoTime();
        UpstreamConnection connection;
        while ((connection = connections.deque.pollFirst()) != null) {
            connections.size.decrementAndGet();
            if (now - connection.idleSince() < idleTimeoutNanos && !connection.stale()) {
                return connection;
            }
            connection.close();
        }
        return null;
    }

    /** A new connection to {@code host:port}. */
    UpstreamConnection connect(String instance, String host, int port) throws IOException {
        return UpstreamConnection.open(host, port, connectTimeout, instance);
    }

    /** A connection whose last answer was read to its end, clean: kept for the next request. */
    void release(UpstreamConnection connection) {
        Idle connections = idle.computeIfAbsent(connection.instance(), key -> new Idle());
        long now = System.nanoTime();
        connection.idleSince(now);
        if (connections.size.incrementAndGet() > maxIdlePerInstance) {
            connections.size.decrementAndGet();
            connection.close();
        } else {
            connections.deque.offerFirst(connection);
        }
        // the oldest idle connection may have outlived the idle timeout
        UpstreamConnection oldest = connections.deque.peekLast();
        if (oldest != null && now - oldest.idleSince() >= idleTimeoutNanos
                && connections.deque.removeLastOccurrence(oldest)) {
            connections.size.decrementAndGet();
            oldest.close();
        }
    }

    /** Idle connections kept for an instance. */
    int idle(String instance) {
        Idle connections = idle.get(instance);
        return connections == null ? 0 : connections.size.get();
    }

    /** Closes every idle connection. */
    void close() {
        for (Idle connections : idle.values()) {
            UpstreamConnection connection;
            while ((connection = connections.deque.pollFirst()) != null) {
                connection.close();
            }
        }
    }

    private static final class Idle {
        final ConcurrentLinkedDeque<UpstreamConnection> deque = new ConcurrentLinkedDeque<>();
        final AtomicInteger size = new AtomicInteger();
    }
}
