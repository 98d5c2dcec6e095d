package dev.refgateway.gateway.edge;

import java.time.Duration;
import java.util.concurrent.Semaphore;

import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.task.InterruptableTask;
import io.helidon.webserver.spi.ServerConnection;

/**
 * Helidon's HTTP/1 connection, unchanged, plus the moment it ends: then it leaves {@link ClientConnections}. Stays
 * an {@link InterruptableTask} so that a stopping server still interrupts connections idle between requests.
 */
final class TrackedConnection implements ServerConnection, InterruptableTask<Void> {

    private final ServerConnection http1;
    private final ClientConnection client;
    private final ClientConnections connections;

    TrackedConnection(ServerConnection http1, ClientConnection client, ClientConnections connections) {
        this.http1 = http1;
        this.client = client;
        this.connections = connections;
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
        try {
            http1.handle(limit);
        } finally {
            connections.ended(client);
        }
    }

    @SuppressWarnings("removal")
    @Override
    public void handle(Semaphore requestSemaphore) throws InterruptedException {
        try {
            http1.handle(requestSemaphore);
        } finally {
            connections.ended(client);
        }
    }

    @Override
    public Duration idleTime() {
        return http1.idleTime();
    }

    @Override
    public void close(boolean interrupt) {
        http1.close(interrupt);
    }

    @Override
    public boolean canInterrupt() {
        return http1 instanceof InterruptableTask<?> task && task.canInterrupt();
    }

    @Override
    public void run() {
        // The server runs the connection through handle(...); this task interface is only asked canInterrupt().
        throw new UnsupportedOperationException("run a connection with handle(limit)");
    }
}
