package dev.refgateway.gateway.edge;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The deadlines of the request a connection is reading: its head must be complete within the header timeout of its
 * first byte (of the connection's accept, for its first request), and its body within a time that grows with its size
 * — a base plus one second per {@code min-rate} bytes received, like Apache's {@code mod_reqtimeout}
 * ({@code body=20,MinRate=500}) — and without a pause longer than the base between two of its bytes (so that a large
 * body, whose deadline is far, cannot stall forever half-way). The clock stands still while a keep-alive connection waits for its next request
 * (Helidon's idle timeout covers that) and while an answer is being written.
 * <p>
 * The connection's thread moves the clock; the sweeper of {@link ClientConnections} only claims an expired phase
 * ({@link #expire}). Both change the phase by compare-and-set, so a head or body that completes just as the sweeper
 * looks is either completed or cut off, never both: the connection's thread learns it was cut off when its
 * compare-and-set fails ({@link #headComplete()} and {@link #bodyComplete()} return false).
 */
final class RequestClock {

    /** A deadline that passed. */
    enum Expired { HEAD, BODY }

    private static final int IDLE = 0;
    private static final int HEAD = 1;
    private static final int BODY = 2;
    private static final int EXPIRED = 3;

    private final long headTimeoutNanos;
    private final long bodyTimeoutNanos;
    private final long nanosPerBodyByte;
    private final AtomicInteger phase = new AtomicInteger(HEAD);
    private volatile long since = System.nanoTime();
    private volatile long bodyBytes;
    private volatile long lastBodyByte;
    private volatile long expiredAt;
    private volatile long bodyLimit;
    private volatile boolean bodyLimited;

    /**
     * @param headTimeoutNanos how long a request head may take from its first byte
     * @param bodyTimeoutNanos how long a body may take before any of it counts; each byte then adds time
     * @param bodyMinRate      bytes per second: every this many bytes received add one second
     */
    RequestClock(long headTimeoutNanos, long bodyTimeoutNanos, long bodyMinRate) {
        this.headTimeoutNanos = headTimeoutNanos;
        this.bodyTimeoutNanos = bodyTimeoutNanos;
        this.nanosPerBodyByte = 1_000_000_000L / bodyMinRate;
    }

    /** The first byte of a request head arrived (between requests the clock stands still). */
    void headStarted() {
        if (phase.get() == IDLE) {
            since = System.nanoTime();
            phase.compareAndSet(IDLE, HEAD);
        }
    }

    /** The head is complete; false when the sweeper cut it off first. */
    boolean headComplete() {
        return phase.compareAndSet(HEAD, IDLE);
    }

    /** The body of the request starts now. */
    void bodyStarted() {
        bodyBytes = 0;
        bodyLimited = false;
        since = System.nanoTime();
        lastBodyByte = since;
        phase.compareAndSet(IDLE, BODY);
    }

    /** Body bytes arrived: each one earns the body a little more time. */
    void bodyReceived(int n) {
        bodyBytes += n;
        lastBodyByte = System.nanoTime();
    }

    /** The rest of the body must arrive within {@code nanos} from now (a refused request's body being drained). */
    void limitBody(long nanos) {
        bodyLimit = System.nanoTime() + nanos;
        bodyLimited = true;
    }

    /** The body is complete; false when the sweeper cut it off first. */
    boolean bodyComplete() {
        return phase.compareAndSet(BODY, IDLE);
    }

    /** Sweeper: claims the running phase if its deadline has passed, exactly once per cut-off; else null. */
    Expired expire(long now) {
        int current = phase.get();
        if (current != HEAD && current != BODY) {
            return null;
        }
        long deadline = current == HEAD ? since + headTimeoutNanos
                : Math.min(since + bodyTimeoutNanos + bodyBytes * nanosPerBodyByte, lastBodyByte + bodyTimeoutNanos);
        if (current == BODY && bodyLimited && bodyLimit - deadline < 0) {
            deadline = bodyLimit;
        }
        if (now - deadline <= 0 || !phase.compareAndSet(current, EXPIRED)) {
            return null;
        }
        expiredAt = now;
        return current == HEAD ? Expired.HEAD : Expired.BODY;
    }

    /** Sweeper: cut off more than {@code graceNanos} ago and still open (the answer could not even be written). */
    boolean overdue(long now, long graceNanos) {
        return phase.get() == EXPIRED && now - expiredAt > graceNanos;
    }
}
