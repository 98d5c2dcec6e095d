package dev.refgateway.discovery.watch;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.refgateway.discovery.InstanceSnapshot;

/**
 * What every {@link ServiceWatch} shares: the service's latest snapshot and its listeners. A new answer is published
 * only when the passing set changed (or it is the first): answers that merely moved Consul's index (a check's output,
 * another service) are dropped, so a flapping cluster cannot cause rebuild storms downstream. How Consul is asked is
 * the subclass's.
 */
abstract sealed class PublishingWatch implements ServiceWatch permits HealthyInstancesWatch, SharedServicesWatch.View {

    private static final Logger LOG = System.getLogger(PublishingWatch.class.getName());

    private final String service;
    private final List<Consumer<InstanceSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstAnswer = new CountDownLatch(1);
    private volatile InstanceSnapshot snapshot;

    PublishingWatch(String service) {
        this.service = Objects.requireNonNull(service, "service");
        this.snapshot = InstanceSnapshot.empty(service);
    }

    @Override
    public final String service() {
        return service;
    }

    @Override
    public final InstanceSnapshot snapshot() {
        return snapshot;
    }

    @Override
    public final boolean hasSnapshot() {
        return firstAnswer.getCount() == 0;
    }

    @Override
    public final boolean awaitFirstSnapshot(Duration timeout) throws InterruptedException {
        return firstAnswer.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public final void addListener(Consumer<InstanceSnapshot> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        if (hasSnapshot()) {
            listener.accept(snapshot);
        }
    }

    /** Publishes {@code next} if it is the first answer or its passing set differs from the current one. */
    final void offer(InstanceSnapshot next) {
        if (hasSnapshot() && snapshot.sameInstancesAs(next)) {
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
}
