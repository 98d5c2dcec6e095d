package dev.refgateway.gateway.observability;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Writes access-log lines as they are (each message is already one JSON line) to standard output, from one
 * background thread that wakes every {@value #FLUSH_INTERVAL_MILLIS} ms and writes what has queued up in one go —
 * the way nginx buffers its access log ({@code buffer=... flush=...}). A request only adds its line to a lock-free
 * queue: formatting through the console handler's pattern and a synchronous {@code write(2)} per request cost about
 * a tenth of the gateway's CPU under load (bench/PROFILE.md), and so would waking a writer thread per line. When
 * {@value #CAPACITY} lines wait (the output cannot keep up) a line is dropped and counted rather than slowing
 * requests down; {@link #close()} (also the JDK's shutdown reset of java.util.logging) writes what is queued.
 */
public final class AccessLogHandler extends Handler {

    private static final int CAPACITY = 65_536;
    private static final long FLUSH_INTERVAL_MILLIS = 50;

    private final Queue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final OutputStream out;
    private final Thread writer;

    AccessLogHandler(OutputStream out) {
        this.out = out;
        this.writer = Thread.ofPlatform().daemon().name("access-log-writer").start(this::writeLoop);
    }

    /** A handler writing to this process's standard output. */
    public static AccessLogHandler toStandardOutput() {
        return new AccessLogHandler(new FileOutputStream(FileDescriptor.out));
    }

    @Override
    public void publish(LogRecord record) {
        if (closed.get() || !isLoggable(record)) {
            return;
        }
        if (queued.incrementAndGet() > CAPACITY) {
            queued.decrementAndGet();
            dropped.increment();
            return;
        }
        queue.add(record.getMessage());
    }

    /** Lines dropped because the queue was full. */
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public void flush() {
        // The writer flushes after every batch; nothing is buffered outside the queue.
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writer.interrupt();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Whatever the writer left (it stops at the interrupt): written here, on the closing thread.
        writeQueued(new StringBuilder());
    }

    private void writeLoop() {
        StringBuilder text = new StringBuilder(64 * 1024);
        while (!closed.get()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MILLIS));
            if (Thread.interrupted()) {
                return;
            }
            writeQueued(text);
        }
    }

    /** Writes the queued lines in writes of whole lines, so other output cannot land in the middle of one. */
    private synchronized void writeQueued(StringBuilder text) {
        text.setLength(0);
        for (String line; (line = queue.poll()) != null; ) {
            queued.decrementAndGet();
            text.append(line).append('\n');
            if (text.length() >= 64 * 1024) {
                write(text);
            }
        }
        write(text);
    }

    private void write(StringBuilder text) {
        if (text.isEmpty()) {
            return;
        }
        try {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            reportError("Writing the access log failed", e, ErrorManager.WRITE_FAILURE);
        }
        text.setLength(0);
    }
}
