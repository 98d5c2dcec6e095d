package dev.refgateway.discovery.watch;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A token bucket for one loop: {@code ratePerSecond} tokens a second, holding at most {@code burst}.
 * Consul recommends this over a fixed sleep: a quiet watch answers at once after a change, while a check that
 * flaps many times a second cannot turn the loop into a storm of requests. Used by one thread only.
 */
final class LoopRateLimiter {

    private final double tokensPerNano;
    private final double burst;
    private double tokens;
    private long refilledAt;

    LoopRateLimiter(double ratePerSecond, int burst) {
        this.tokensPerNano = ratePerSecond / TimeUnit.SECONDS.toNanos(1);
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = System.nanoTime();
    }

    /** Takes one token, parking until one is available. */
    void acquire() throws InterruptedException {
        refill();
        while (tokens < 1) {
            LockSupport.parkNanos((long) ((1 - tokens) / tokensPerNano));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            refill();
        }
        tokens -= 1;
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - refilledAt) * tokensPerNano);
        refilledAt = now;
    }
}
