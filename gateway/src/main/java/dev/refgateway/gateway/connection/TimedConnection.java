package dev.refgateway.gateway.connection;

import java.time.Duration;
import java.util.concurrent.Semaphore;

import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.task.InterruptableTask;
import io.helidon.webserver.spi.ServerConnection;

/**
 * The HTTP/1 connection, unchanged, plus the moment it ends: then its deadline leaves the sweeper's watch. Stays an
 * {@link InterruptableTask} so that a stopping server still interrupts connections idle between requests.
 */
final class TimedConnection implements ServerConnection, InterruptableTask<Void> {

    private final ServerConnection http1;
    private final HeaderDeadline deadline;
    private final HeaderTimeouts timeouts;

    TimedConnection(ServerConnection http1, HeaderDeadline deadline, HeaderTimeouts timeouts) {
        this.http1 = http1;
        this.deadline = deadline;
        this.timeouts = timeouts;
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
        try {
            http1.handle(limit);
        } finally {
            timeouts.ended(deadline);
        }
    }

    @SuppressWarnings("removal")
    @Override
    public void handle(Semaphore requestSemaphore) throws InterruptedException {
        try {
            http1.handle(requestSemaphore);
        } finally {
            timeouts.ended(deadline);
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
