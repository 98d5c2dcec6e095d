package dev.refgateway.support;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/** Counts requests being served, so shutdown can wait for them instead of cutting them off. */
final class InFlightRequests implements Filter {

    private final AtomicInteger count = new AtomicInteger();

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        count.incrementAndGet();
        try {
            chain.proceed();
        } finally {
            count.decrementAndGet();
        }
    }

    /** A request served outside the HTTP routing (a gRPC call) started; {@link #ended()} when it is over. */
    void started() {
        count.incrementAndGet();
    }

    void ended() {
        count.decrementAndGet();
    }

    int count() {
        return count.get();
    }

    /** Waits until no request is in flight; false when {@code timeout} passed first. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count.get() > 0) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
