package dev.refgateway.e2e.traffic;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.refgateway.e2e.client.ApiClient;
import dev.refgateway.e2e.client.Reply;

/**
 * Continuous client traffic through the gateway while a test breaks something: each {@link Call} gets its own
 * threads, sending one request after another (with a short pause, so two cores are not spent on the load itself)
 * until {@link #stop()}, which returns every outcome.
 * <pre>
 * try (TrafficLoop traffic = TrafficLoop.start(gateway, Call.get("/users/1", 2))) {
 *     kill(...);
 *     TrafficReport report = traffic.stop();
 * }
 * </pre>
 */
public final class TrafficLoop implements AutoCloseable {

    private static final Duration PAUSE = Duration.ofMillis(20);

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final List<Thread> workers = new ArrayList<>();

    /**
     * One kind of request: method, a path and body made per request, the status that counts as success, and how
     * many threads send it.
     */
    public record Call(String method, Supplier<String> path, Supplier<String> body, int expectedStatus, int threads) {

        /** GETs of a fixed path, 200 expected. */
        public static Call get(String path, int threads) {
            return new Call("GET", () -> path, () -> null, 200, threads);
        }

        /** POSTs of a fresh JSON body each time, 201 expected. */
        public static Call post(String path, Supplier<String> body, int threads) {
            return new Call("POST", () -> path, body, 201, threads);
        }
    }

    private TrafficLoop() {
    }

    public static TrafficLoop start(ApiClient client, Call... calls) {
        TrafficLoop loop = new TrafficLoop();
        for (Call call : calls) {
            for (int i = 0; i < call.threads(); i++) {
                Thread worker = Thread.ofPlatform().daemon().name("traffic-" + call.method() + "-" + i)
                        .start(() -> loop.run(client, call));
                loop.workers.add(worker);
            }
        }
        return loop;
    }

    /** The instances that answered successfully since {@code from}: lets a test wait for a restarted instance. */
    public Set<String> instancesSince(Instant from) {
        Set<String> ids = new TreeSet<>();
        for (Outcome outcome : outcomes) {
            if (!outcome.failed() && !outcome.sentAt().isBefore(from)) {
                ids.add(outcome.instanceId());
            }
        }
        return ids;
    }

    public int sent() {
        return outcomes.size();
    }

    /** Stops sending, waits for the requests in flight, and reports everything. */
    public TrafficReport stop() {
        running.set(false);
        for (Thread worker : workers) {
            try {
                worker.join(Duration.ofSeconds(40));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new TrafficReport(new ArrayList<>(outcomes));
    }

    @Override
    public void close() {
        running.set(false);
    }

    private void run(ApiClient client, Call call) {
        while (running.get()) {
            String path = call.path().get();
            Instant sentAt = Instant.now();
            long started = System.nanoTime();
            Outcome outcome;
            try {
                Reply reply = client.send(call.method(), path, call.body().get());
                outcome = new Outcome(call.method(), path, call.expectedStatus(), reply.status(), reply.instanceId(),
                                      reply.toString(), sentAt, reply.elapsed().toMillis());
            } catch (UncheckedIOException e) {
                outcome = new Outcome(call.method(), path, call.expectedStatus(), -1, "", String.valueOf(e.getCause()),
                                      sentAt, (System.nanoTime() - started) / 1_000_000);
            }
            outcomes.add(outcome);
            try {
                Thread.sleep(PAUSE);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
