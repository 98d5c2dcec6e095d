package dev.refgateway.gateway.upstream;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.refgateway.discovery.ServiceInstance;

import io.helidon.faulttolerance.CircuitBreaker;

/**
 * What the gateway knows about one instance beyond Consul's view: passive health (consecutive failures, ejection),
 * its circuit breaker, and load (in flight, served). Lock-free: counters are atomics, the rest volatile fields
 * written by the thread that observed the event.
 */
public final class InstanceState {

    /** Ejections of every instance so far: a change tells {@link EligibleInstances} to look again. */
    private static final AtomicLong EJECTIONS = new AtomicLong();

    private final ServiceInstance instance;
    private final Optional<CircuitBreaker> breaker;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicInteger timesEjected = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder served = new LongAdder();
    private volatile long ejectedUntilNanos;
    private volatile boolean ejected;
    private volatile String lastError = "";
    private volatile Instant lastErrorAt;

    InstanceState(ServiceInstance instance, Optional<CircuitBreaker> breaker) {
        this.instance = instance;
        this.breaker = breaker;
    }

    public ServiceInstance instance() {
        return instance;
    }

    public String id() {
        return instance.id();
    }

    public Optional<CircuitBreaker> breaker() {
        return breaker;
    }

    /** Whether the breaker refuses calls right now (open; half-open lets a probe through). */
    public boolean isCircuitOpen() {
        return breaker.isPresent() && breaker.get().state() == CircuitBreaker.State.OPEN;
    }

    public String circuitState() {
        return breaker.map(b -> b.state().name()).orElse("DISABLED");
    }

    /** Whether the instance is ejected at {@code nowNanos}; an ejection simply runs out, no timer needed. */
    public boolean isEjected(long nowNanos) {
        return ejected && nowNanos - ejectedUntilNanos < 0;
    }

    /** When the current ejection ends, if the instance is ejected now. */
    public Optional<Instant> ejectedUntil() {
        long now = System.nanoTime();
        if (!isEjected(now)) {
            return Optional.empty();
        }
        return Optional.of(Instant.now().plusNanos(ejectedUntilNanos - now));
    }

    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    public int timesEjected() {
        return timesEjected.get();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public long served() {
        return served.sum();
    }

    public String lastError() {
        return lastError;
    }

    public Optional<Instant> lastErrorAt() {
        return Optional.ofNullable(lastErrorAt);
    }

    public void attemptStarted() {
        inFlight.incrementAndGet();
    }

    public void attemptEnded() {
        inFlight.decrementAndGet();
    }

    /** A good answer: the failure streak ends. */
    public void recordSuccess() {
        served.increment();
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
    }

    /** A failed attempt; returns the length of the failure streak. */
    public int recordFailure(String reason) {
        lastError = reason;
        lastErrorAt = Instant.now();
        return consecutiveFailures.incrementAndGet();
    }

    /** Ejects the instance for {@code nanos}; returns how many times it has been ejected. */
    public int eject(long nowNanos, long nanos) {
        ejectedUntilNanos = nowNanos + nanos;
        ejected = true;
        EJECTIONS.incrementAndGet();
        consecutiveFailures.set(0);
        return timesEjected.incrementAndGet();
    }

    /** How many ejections of any instance there have been. */
    static long ejections() {
        return EJECTIONS.get();
    }

    /** When the current ejection ends (meaningful while {@link #isEjected} holds). */
    long ejectedUntilNanos() {
        return ejectedUntilNanos;
    }

    /** Nanoseconds left in the current ejection, for the admin view. */
    long ejectionRemainingNanos(long nowNanos) {
        return isEjected(nowNanos) ? ejectedUntilNanos - nowNanos : 0;
    }

    @Override
    public String toString() {
        return id() + "[failures=" + consecutiveFailures + ", inFlight=" + inFlight + ", ejected="
                + isEjected(System.nanoTime()) + ", circuit=" + circuitState() + "]";
    }

    static long millisToNanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
