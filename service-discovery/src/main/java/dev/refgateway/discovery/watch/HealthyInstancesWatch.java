package dev.refgateway.discovery.watch;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.refgateway.discovery.InstanceSnapshot;
import dev.refgateway.discovery.ServiceInstance;

import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.HealthClient;
import org.kiwiproject.consul.model.ConsulResponse;
import org.kiwiproject.consul.model.health.Service;
import org.kiwiproject.consul.model.health.ServiceHealth;
import org.kiwiproject.consul.option.QueryOptions;

/**
 * An always-current, immutable snapshot of the <em>passing</em> instances of one service.
 * <p>
 * One thread runs Consul blocking queries ({@code /v1/health/service/NAME?passing&index=N&wait=W}) the way Consul's
 * documentation asks: it carries {@code X-Consul-Index} from answer to answer, starts over from 0 when the index goes
 * backwards (an agent restart or snapshot restore) and after every failed call, never sends an index below 1 after the
 * first answer, is paced by a token bucket rather than by sleeps, and backs off with jitter while Consul fails.
 * <p>
 * Readers never block: {@link #snapshot()} is one volatile read. While Consul is unreachable the last good snapshot
 * stays in place and {@link #staleness()} grows. Listeners hear only of changes to the passing set, never of answers
 * that merely moved the index (check output text, other services), so a flapping cluster cannot cause rebuild storms.
 */
public final class HealthyInstancesWatch implements AutoCloseable {

    private static final Logger LOG = System.getLogger(HealthyInstancesWatch.class.getName());

    private final HealthClient health;
    private final String service;
    private final WatchSettings settings;
    private final List<Consumer<InstanceSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstAnswer = new CountDownLatch(1);
    private final Thread loop;
    private volatile InstanceSnapshot snapshot;
    private volatile long lastContactNanos;
    private volatile boolean consulReachable;
    private volatile boolean closed;

    private HealthyInstancesWatch(Consul consul, String service, WatchSettings settings) {
        this.health = consul.healthClient();
        this.service = Objects.requireNonNull(service, "service");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.snapshot = InstanceSnapshot.empty(service);
        this.loop = Thread.ofPlatform().daemon().name("consul-watch-" + service).unstarted(this::run);
    }

    /** Starts watching {@code service} with default settings. Returns at once. */
    public static HealthyInstancesWatch start(Consul consul, String service) {
        return start(consul, service, WatchSettings.defaults());
    }

    /** Starts watching {@code service}. Returns at once; see {@link #awaitFirstSnapshot(Duration)}. */
    public static HealthyInstancesWatch start(Consul consul, String service, WatchSettings settings) {
        HealthyInstancesWatch watch = new HealthyInstancesWatch(consul, service, settings);
        watch.loop.start();
        return watch;
    }

    public String service() {
        return service;
    }

    /** The latest passing instances; empty until Consul first answered. Never blocks. */
    public InstanceSnapshot snapshot() {
        return snapshot;
    }

    /** Whether Consul has answered at least once. */
    public boolean hasSnapshot() {
        return firstAnswer.getCount() == 0;
    }

    /** Waits for Consul's first answer; false when {@code timeout} passed first. */
    public boolean awaitFirstSnapshot(Duration timeout) throws InterruptedException {
        return firstAnswer.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * How long ago Consul last answered this watch. A healthy blocking watch is in contact at all times (a query
     * is always open), so this is near zero while Consul is reachable and grows only during an outage. Before the
     * first answer it is the time since the watch started.
     */
    public Duration staleness() {
        return consulReachable ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - lastContactNanos);
    }

    /** Whether the last call to Consul succeeded. */
    public boolean isConsulReachable() {
        return consulReachable;
    }

    /**
     * Calls {@code listener} with every new passing set (on the watch thread; keep it short). If a snapshot
     * already exists the listener is called with it at once, so it never misses the current state.
     */
    public void addListener(Consumer<InstanceSnapshot> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        if (hasSnapshot()) {
            listener.accept(snapshot);
        }
    }

    /** Stops watching; the last snapshot stays readable. */
    @Override
    public void close() {
        closed = true;
        loop.interrupt();
    }

    private void run() {
        lastContactNanos = System.nanoTime();
        LoopRateLimiter pace = new LoopRateLimiter(settings.maxRate(), 2);
        long index = 0;
        int failures = 0;
        boolean outage = false;
        int waitSeconds = (int) settings.blockingWait().toSeconds();
        while (!closed) {
            try {
                pace.acquire();
                ConsulResponse<List<ServiceHealth>> answer = health.getHealthyServiceInstances(
                        service, QueryOptions.blockSeconds(waitSeconds, BigInteger.valueOf(index)).build());
                lastContactNanos = System.nanoTime();
                if (!consulReachable && failures > 0) {
                    LOG.log(Level.INFO, "Consul is reachable again; watching {0} resumes", service);
                }
                consulReachable = true;
                failures = 0;
                long answered = answer.getIndex() == null ? 0 : answer.getIndex().longValue();
                index = nextIndex(index, answered);
                publish(new InstanceSnapshot(service, toInstances(answer.getResponse()), answered, Instant.now(),
                                             outage));
                outage = false;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                consulReachable = false;
                outage = true;
                // The agent may come back restarted, with a lower index: blocking on our old index would then hang
                // for the whole wait. Start over with a non-blocking query.
                index = 0;
                if (failures == 0) {
                    LOG.log(Level.WARNING, "Watching {0} in Consul failed ({1}); keeping the last {2} instance(s)",
                            service, e.toString(), snapshot.size());
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

    private void publish(InstanceSnapshot next) {
        InstanceSnapshot previous = snapshot;
        boolean first = firstAnswer.getCount() > 0;
        if (!first && previous.sameInstancesAs(next)) {
            return;
        }
        snapshot = next;
        firstAnswer.countDown();
        LOG.log(Level.DEBUG, "{0}: {1} passing instance(s)", service, next.size());
        for (Consumer<InstanceSnapshot> listener : listeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A listener of " + service + " failed", e);
            }
        }
    }

    private static List<ServiceInstance> toInstances(List<ServiceHealth> entries) {
        return entries.stream().map(HealthyInstancesWatch::toInstance).toList();
    }

    /** The instance a health entry describes (shared with views that list every instance, passing or not). */
    public static ServiceInstance toInstance(ServiceHealth entry) {
        Service s = entry.getService();
        // An empty service address means "same as the node": Consul's documented fallback.
        String host = s.getAddress() == null || s.getAddress().isBlank() ? entry.getNode().getAddress() : s.getAddress();
        return new ServiceInstance(s.getId(), s.getService(), host, s.getPort(), s.getTags(), s.getMeta());
    }

    private boolean pause(Duration delay) {
        try {
            Thread.sleep(delay);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
