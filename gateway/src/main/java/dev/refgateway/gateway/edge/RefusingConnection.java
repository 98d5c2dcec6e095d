package dev.refgateway.gateway.edge;

import java.time.Duration;
import java.util.concurrent.Semaphore;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;

/** A connection beyond the cap: answered with a prepared 503 problem and closed, without reading a request. */
final class RefusingConnection implements ServerConnection {

    private final ConnectionContext ctx;
    private final byte[] answer;

    RefusingConnection(ConnectionContext ctx, byte[] answer) {
        this.ctx = ctx;
        this.answer = answer;
    }

    @Override
    public void handle(Limit limit) {
        try {
            ctx.dataWriter().writeNow(BufferData.create(answer));
        } catch (RuntimeException e) {
            // the client is gone; the server closes the socket when this returns
        }
    }

    @SuppressWarnings("removal")
    @Override
    public void handle(Semaphore requestSemaphore) {
        handle((Limit) null);
    }

    @Override
    public Duration idleTime() {
        return Duration.ZERO;
    }

    @Override
    public void close(boolean interrupt) {
        // nothing to stop: handle() returns at once
    }
}
