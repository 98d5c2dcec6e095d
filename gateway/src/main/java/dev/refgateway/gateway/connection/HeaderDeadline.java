package dev.refgateway.gateway.connection;

import java.util.concurrent.atomic.AtomicLong;

import io.helidon.common.task.InterruptableTask;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.spi.ServerConnection;

/**
 * The header clock of one connection. It runs while a request's head (request line and header section) is arriving:
 * from the request's first byte until its header section is complete. It stands still while a keep-alive connection
 * waits for its next request (the idle timeout's business) and while a body or a response is under way
 * (body-read-timeout, route timeouts).
 * <p>
 * The connection's own thread moves the clock ({@link #beforeRead()}, {@link #received()}, {@link #requestLine()},
 * {@link #headersComplete()}); the sweeper only stops an expired one ({@link #expire}). One atomic holds the start of
 * the running head, so the sweeper's compare-and-set can only stop the very head it found expired.
 */
final class HeaderDeadline {

    private static final long STOPPED = Long.MIN_VALUE;
    private static final long EXPIRED = Long.MIN_VALUE + 1;

    private enum Phase { HEAD, REQUEST, WAITING }

    private final TimedContext context;
    private final AtomicLong headStarted = new AtomicLong(System.nanoTime());
    private volatile long expiredAt;
    // Touched by the connection's thread only.
    private Phase phase = Phase.HEAD;
    private ServerConnection connection;

    HeaderDeadline(TimedContext context) {
        this.context = context;
    }

    TimedContext context() {
        return context;
    }

    void connection(ServerConnection connection) {
        this.connection = connection;
    }

    /** Before a blocking read: a read for a request line after a finished request means waiting for the next. */
    void beforeRead() {
        if (phase == Phase.REQUEST && readingRequestLine()) {
            phase = Phase.WAITING;
        }
    }

    /** After a read returned bytes: the first bytes after waiting start the next request's head. */
    void received() {
        if (phase == Phase.WAITING) {
            phase = Phase.HEAD;
            headStarted.compareAndSet(STOPPED, System.nanoTime());
        }
    }

    /** A request line was parsed; it may have come from bytes already buffered (pipelining) without a read. */
    void requestLine() {
        if (phase != Phase.HEAD) {
            phase = Phase.HEAD;
            headStarted.compareAndSet(STOPPED, System.nanoTime());
        }
    }

    /**
     * The header section is complete: stop the clock, unless the sweeper expired it first. Then the connection is
     * being cut off and the request must not be routed.
     */
    void headersComplete() {
        long started = headStarted.get();
        if (started == EXPIRED || !headStarted.compareAndSet(started, STOPPED)) {
            throw new CloseConnectionException("Request header timeout");
        }
        phase = Phase.REQUEST;
    }

    /** Sweeper: claims an expired head; true exactly once per cut-off. */
    boolean expire(long now, long timeoutNanos) {
        long started = headStarted.get();
        if (started == STOPPED || started == EXPIRED || now - started <= timeoutNanos) {
            return false;
        }
        if (!headStarted.compareAndSet(started, EXPIRED)) {
            return false;
        }
        expiredAt = now;
        return true;
    }

    /** Sweeper: expired more than {@code graceNanos} ago and still open (the 408 could not be written). */
    boolean overdue(long now, long graceNanos) {
        return headStarted.get() == EXPIRED && now - expiredAt > graceNanos;
    }

    private boolean readingRequestLine() {
        // Helidon's HTTP/1 connection can be interrupted exactly while it waits for or reads a request line.
        return connection instanceof InterruptableTask<?> task && task.canInterrupt();
    }
}
