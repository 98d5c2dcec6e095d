package dev.refgateway.gateway.observability;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Writes access-log lines as they are (each message is already one JSON line) to standard output, from one
 * background thread, in batches — the way nginx buffers its access log. A request only puts its line in a bounded
 * queue: formatting through the console handler's pattern and a synchronous {@code write(2)} per request cost about
 * a tenth of the gateway's CPU under load (bench/PROFILE.md). When the queue is full (the output cannot keep up) a
 * line is dropped and counted rather than slowing requests down; {@link #close()} (also the JDK's shutdown reset
 * of java.util.logging) writes what is queued.
 */
public final class AccessLogHandler extends Handler {

    private static final int QUEUE_CAPACITY = 16_384;
    private static final int BATCH = 512;

    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
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
        if (!queue.offer(record.getMessage())) {
            dropped.increment();
        }
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
        List<String> rest = new ArrayList<>();
        queue.drainTo(rest);
        write(rest, new StringBuilder());
    }

    private void writeLoop() {
        List<String> batch = new ArrayList<>(BATCH);
        StringBuilder text = new StringBuilder(BATCH * 320);
        while (!closed.get()) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, BATCH - 1);
            write(batch, text);
            batch.clear();
        }
    }

    /** One write of whole lines, so other output of the process cannot land in the middle of one. */
    private void write(List<String> lines, StringBuilder text) {
        if (lines.isEmpty()) {
            return;
        }
        text.setLength(0);
        for (String line : lines) {
            text.append(line).append('\n');
        }
        try {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            reportError("Writing the access log failed", e, ErrorManager.WRITE_FAILURE);
        }
    }
}
