package dev.refgateway.gateway.proxy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cuts off clients that stop sending their request body. Helidon 4.5 has no read timeout on server connections, so a
 * handler blocked reading a stalled body would wait forever (with an upstream connection held open). A reader marks
 * each blocking read; one sweeper thread interrupts a reader whose current read has waited longer than the timeout,
 * which closes the client's connection (the channel is interruptible) and fails the read.
 */
final class StallGuard implements AutoCloseable {

    private static final int IDLE = 0;
    private static final int READING = 1;
    private static final int INTERRUPTED = 2;

    private final long timeoutNanos;
    private final Set<Read> active = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;

    StallGuard(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        this.sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("body-stall-guard")
                                                                          .factory());
        long period = Math.max(50, timeout.toMillis() / 4);
        sweeper.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /** A guard for the calling thread's reads of one body; {@link Read#close()} it when the body is done. */
    Read open() {
        Read read = new Read(Thread.currentThread());
        active.add(read);
        return read;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Read read : active) {
            if (now - read.since > timeoutNanos && read.state.compareAndSet(READING, INTERRUPTED)) {
                read.thread.interrupt();
            }
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }

    /** The reads of one body by one thread. */
    final class Read implements AutoCloseable {
        private final Thread thread;
        private final AtomicInteger state = new AtomicInteger(IDLE);
        private volatile long since;

        private Read(Thread thread) {
            this.thread = thread;
        }

        /** Before a blocking read. */
        void begin() {
            since = System.nanoTime();
            state.set(READING);
        }

        /** After it; false when the read was declared stalled (the thread is or will be interrupted). */
        boolean end() {
            return state.compareAndSet(READING, IDLE);
        }

        @Override
        public void close() {
            active.remove(this);
            if (state.get() == INTERRUPTED) {
                // The interrupt was for the stalled read only; what runs after must not inherit it.
                Thread.interrupted();
            }
        }
    }
}
