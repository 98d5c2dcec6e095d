package dev.refgateway.discovery.watch;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * One thread running one kind of Consul blocking query the way Consul's documentation asks: it carries
 * {@code X-Consul-Index} from answer to answer, starts over from 0 when the index goes backwards (an agent restart or
 * snapshot restore) and after every failed call, never sends an index below 1 after the first answer, is paced by a
 * token bucket rather than by sleeps, and backs off with jitter while Consul fails.
 */
final class BlockingQueryLoop implements AutoCloseable {

    private static final Logger LOG = System.getLogger(BlockingQueryLoop.class.getName());

    /** One blocking query and what its answer causes. */
    @FunctionalInterface
    interface Round {
        /**
         * Asks Consul, blocking up to {@code waitSeconds} while its index is still {@code index}, and acts on the
         * answer; {@code afterOutage}: the first call since one failed. Returns the answer's
         * index; throws when Consul could not be asked, which counts as a failure like the query's own.
         */
        long run(long index, int waitSeconds, boolean afterOutage) throws InterruptedException;
    }

    private final String what;
    private final WatchSettings settings;
    private final Round round;
    private final Thread thread;
    private volatile long lastContactNanos;
    private volatile boolean reachable;
    private volatile boolean closed;

    private BlockingQueryLoop(String threadName, String what, WatchSettings settings, Round round) {
        this.what = what;
        this.settings = settings;
        this.round = round;
        this.thread = Thread.ofPlatform().daemon().name(threadName).unstarted(this::run);
    }

    /**
     * Starts a loop on a platform thread named {@code threadName}; {@code what} names what it watches in log lines
     * (one word: "Watching WHAT in Consul failed").
     */
    static BlockingQueryLoop start(String threadName, String what, WatchSettings settings, Round round) {
        BlockingQueryLoop loop = new BlockingQueryLoop(threadName, what, settings, round);
        loop.lastContactNanos = System.nanoTime();
        loop.thread.start();
        return loop;
    }

    /** Zero while the last call succeeded; otherwise the time since Consul last answered (or since the start). */
    Duration staleness() {
        return reachable ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - lastContactNanos);
    }

    boolean isReachable() {
        return reachable;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }

    private void run() {
        LoopRateLimiter pace = new LoopRateLimiter(settings.maxRate(), 2);
        long index = 0;
        int failures = 0;
        boolean outage = false;
        int waitSeconds = (int) settings.blockingWait().toSeconds();
        while (!closed) {
            try {
                pace.acquire();
                long answered = round.run(index, waitSeconds, outage);
                lastContactNanos = System.nanoTime();
                if (!reachable && failures > 0) {
                    LOG.log(Level.INFO, "Consul is reachable again; watching {0} resumes", what);
                }
                reachable = true;
                failures = 0;
                outage = false;
                index = nextIndex(index, answered);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                reachable = false;
                outage = true;
                // The agent may come back restarted, with a lower index: blocking on our old index would then hang
                // for the whole wait. Start over with a non-blocking query.
                index = 0;
                if (failures == 0) {
                    LOG.log(Level.WARNING, "Watching {0} in Consul failed ({1}); the last known instances stay in use",
                            what, e.toString());
                }
                if (!pause(settings.errorBackoff().delay(failures++))) {
                    return;
                }
            }
        }
    }

    /**
     * The index for the next query. Consul's rules: if the index went backwards, start over from 0 (the next
     * query then answers at once); otherwise never go below 1, since 0 would turn the loop into a busy poll.
     */
    static long nextIndex(long previous, long answered) {
        if (answered < previous) {
            return 0;
        }
        return Math.max(answered, 1);
    }

    private static boolean pause(Duration delay) {
        try {
            Thread.sleep(delay);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
