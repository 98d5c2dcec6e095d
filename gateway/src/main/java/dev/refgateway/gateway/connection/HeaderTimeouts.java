package dev.refgateway.gateway.connection;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.refgateway.gateway.problem.GatewayProblem;
import dev.refgateway.gateway.problem.ProblemResponses;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

/**
 * Cuts off clients that do not finish sending a request's head (request line and header section) within the timeout
 * of its first byte — Slowloris clients that stall mid-headers or trickle them a byte at a time. Helidon 4.5 has no
 * such timeout: its read timeout applies to client sockets only, and its idle timeout skips a connection once the
 * request line is in.
 * <p>
 * One sweeper thread for all connections: the request path only moves a timestamp in its {@link HeaderDeadline}.
 * A connection whose head is overdue gets a 408 problem and is closed (like nginx's {@code client_header_timeout});
 * if even the 408 cannot be written (the client reads nothing either), the socket is closed a little later anyway.
 */
public final class HeaderTimeouts implements AutoCloseable {

    private static final Logger LOG = System.getLogger(HeaderTimeouts.class.getName());
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Duration timeout;
    private final long timeoutNanos;
    private final Runnable onCutOff;
    private final byte[] response;
    private final Set<HeaderDeadline> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;

    /**
     * @param timeout  how long a request's head may take from its first byte
     * @param onCutOff called once per connection cut off (a metric)
     */
    public HeaderTimeouts(Duration timeout, Runnable onCutOff) {
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.onCutOff = onCutOff;
        this.response = ProblemResponses.closingResponse(
                GatewayProblem.REQUEST_HEADER_TIMEOUT,
                "The request line and headers did not arrive within " + timeout.toMillis() + " ms");
        this.sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("header-timeout-sweeper").factory());
        // A tenth of the timeout: cut off at most 10 % late, and at most once a second for long timeouts.
        long period = Math.clamp(timeout.toMillis() / 10, 20, 1000);
        sweeper.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /** Tells each connection's deadline when its request line and header section are in. */
    Http1ConnectionListener listener() {
        return new Http1ConnectionListener() {
            @Override
            public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
                if (ctx instanceof TimedContext timed) {
                    timed.deadline().requestLine();
                }
            }

            @Override
            public void headers(ConnectionContext ctx, Headers headers) {
                if (ctx instanceof TimedContext timed) {
                    timed.deadline().headersComplete();
                }
            }
        };
    }

    /** A new connection, its first request's head under way. */
    void started(HeaderDeadline deadline) {
        open.add(deadline);
    }

    void ended(HeaderDeadline deadline) {
        open.remove(deadline);
    }

    private void sweep() {
        long now = System.nanoTime();
        for (HeaderDeadline deadline : open) {
            try {
                if (deadline.expire(now, timeoutNanos)) {
                    cutOff(deadline.context());
                } else if (deadline.overdue(now, GRACE_NANOS)) {
                    open.remove(deadline);
                    close(deadline.context());
                }
            } catch (RuntimeException e) {
                // An exception would cancel the sweeper for good, leaving every later connection unwatched.
                LOG.log(Level.WARNING, "Header timeout: could not cut off a connection", e);
            }
        }
    }

    private void cutOff(TimedContext context) {
        String host = context.remotePeer().host();   // while the socket is still open
        int port = context.remotePeer().port();
        // Writing may block on a client that reads nothing either: not on the sweeper's thread.
        Thread.ofVirtual().name("header-timeout-cut-off").start(() -> {
            try {
                context.dataWriter().writeNow(BufferData.create(response));
            } catch (RuntimeException e) {
                // the client is gone already; closing is all that is left
            } finally {
                close(context);
            }
        });
        onCutOff.run();
        LOG.log(Level.INFO, "Closed connection from {0}:{1,number,#}: request line and headers not received within "
                        + "{2,number,#} ms (408)",
                host, port, timeout.toMillis());
    }

    private static void close(TimedContext context) {
        try {
            // The connection's thread, blocked reading, fails and ends the connection quietly.
            context.serverSocket().close();
        } catch (RuntimeException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
