package dev.refgateway.discovery.watch;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.refgateway.discovery.InstanceSnapshot;

import org.kiwiproject.consul.CatalogClient;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.HealthClient;
import org.kiwiproject.consul.model.ConsulResponse;
import org.kiwiproject.consul.model.State;
import org.kiwiproject.consul.model.health.HealthCheck;
import org.kiwiproject.consul.model.health.ServiceHealth;
import org.kiwiproject.consul.option.QueryOptions;

/**
 * The passing instances of many services from two blocking queries, however many services there are: what a gateway
 * routing to many services needs. A blocking query per service would hold one connection to the agent per service
 * (an agent serves at most 200 from one address by default, {@code limits.http_max_conns_per_client}) and one
 * thread each; this watch holds two of each, and the agent two blocking queries per gateway replica.
 * <ul>
 * <li>{@code /v1/health/state/any}: every check in the datacenter. Its index moves with any check's change; the
 *     watch compares each watched service's checks (node, check, status) with the previous answer and reads again
 *     only the services whose checks changed, or all of them when a node's own check changed (it may carry any of
 *     them).</li>
 * <li>{@code /v1/catalog/services}: its index moves when any instance registers or leaves (instances without checks
 *     included, which the first query does not see). The answer does not say which service changed: every watched
 *     service is read again — registrations are rare next to checks.</li>
 * </ul>
 * A service is read with {@code /v1/health/service/NAME?passing} without blocking, one read at a time (so the
 * snapshots follow Consul's order), and its snapshot replaced only when its passing set changed. Nothing is lost
 * between a query's answer and the next: any later change moves the index past the one the next query waits on, so
 * it answers at once. After a failed call (or a read that failed) the next answer reads every service again.
 */
public final class SharedServicesWatch implements AutoCloseable {

    /** Node-level checks (Serf's health and any a node registers for itself) have no service. */
    private static final String NODE = "";

    private final HealthClient health;
    private final CatalogClient catalog;
    private final Map<String, View> views = new ConcurrentHashMap<>();
    private final Object reading = new Object();
    private final BlockingQueryLoop checks;
    private final BlockingQueryLoop registrations;
    /** Per watched service (and {@link #NODE}): its checks in the last answer; null until the first answer. */
    private Map<String, List<String>> lastChecks;
    private volatile boolean closed;

    private SharedServicesWatch(Consul consul, WatchSettings settings) {
        this.health = consul.healthClient();
        this.catalog = consul.catalogClient();
        this.checks = BlockingQueryLoop.start("consul-watch-checks", "health-checks", settings, this::checksRound);
        this.registrations = BlockingQueryLoop.start("consul-watch-catalog", "service-catalog", settings,
                                                     this::catalogRound);
    }

    /** Starts the two blocking queries; services are added with {@link #service(String)}. Returns at once. */
    public static SharedServicesWatch start(Consul consul, WatchSettings settings) {
        return new SharedServicesWatch(Objects.requireNonNull(consul, "consul"),
                                       Objects.requireNonNull(settings, "settings"));
    }

    /**
     * The watch of {@code service}, added if new: its first snapshot is read at once (on a virtual thread), later
     * ones when Consul says something changed. Closing it stops watching that service only.
     */
    public ServiceWatch service(String service) {
        Objects.requireNonNull(service, "service");
        View[] added = new View[1];
        View view = views.computeIfAbsent(service, name -> added[0] = new View(name));
        if (added[0] != null) {
            Thread.ofVirtual().name("consul-watch-first-" + service).start(() -> {
                try {
                    read(List.of(service), false);
                } catch (RuntimeException e) {
                    // the loops read every service again after their next answer
                }
            });
        }
        return view;
    }

    /** Stops both queries; every service's last snapshot stays readable. */
    @Override
    public void close() {
        closed = true;
        checks.close();
        registrations.close();
    }

    private long checksRound(long index, int waitSeconds, boolean afterOutage) {
        ConsulResponse<List<HealthCheck>> answer = health.getChecksByState(State.ANY, blocking(index, waitSeconds));
        Map<String, List<String>> now = checksByService(answer.getResponse(), views.keySet());
        Collection<String> changed;
        synchronized (reading) {
            changed = lastChecks == null || afterOutage || changed(lastChecks, now, NODE)
                    ? views.keySet() : views.keySet().stream().filter(s -> changed(lastChecks, now, s)).toList();
            lastChecks = null; // a failed read below must not leave the new state looking seen
            read(changed, afterOutage);
            lastChecks = now;
        }
        return HealthyInstancesWatch.indexOf(answer);
    }

    private long catalogRound(long index, int waitSeconds, boolean afterOutage) {
        ConsulResponse<Map<String, List<String>>> answer = catalog.getServices(blocking(index, waitSeconds));
        long answered = HealthyInstancesWatch.indexOf(answer);
        // The wait ran out with nothing registered or gone: nothing to read. The first answer (index 0) always reads.
        if (index == 0 || answered != index || afterOutage) {
            read(views.keySet(), afterOutage);
        }
        return answered;
    }

    /** Reads {@code services} one after the other and offers each its new snapshot; throws on Consul's failure. */
    private void read(Collection<String> services, boolean afterOutage) {
        synchronized (reading) {
            for (String service : List.copyOf(services)) {
                View view = views.get(service);
                if (view == null || closed) {
                    continue;
                }
                ConsulResponse<List<ServiceHealth>> answer = health.getHealthyServiceInstances(service,
                                                                                               QueryOptions.BLANK);
                view.offer(new InstanceSnapshot(
                        service, HealthyInstancesWatch.toInstances(answer.getResponse()),
                        HealthyInstancesWatch.indexOf(answer), Instant.now(), afterOutage));
            }
        }
    }

    /** Per service in {@code watched}, and for node-level checks: "node/check=status" of each of its checks, sorted. */
    static Map<String, List<String>> checksByService(List<HealthCheck> checks, Set<String> watched) {
        Map<String, List<String>> by = new HashMap<>();
        for (HealthCheck check : checks) {
            String service = check.getServiceName().orElse(NODE);
            if (service.equals(NODE) || watched.contains(service)) {
                by.computeIfAbsent(service, s -> new ArrayList<>())
                        .add(check.getNode() + "/" + check.getCheckId() + "=" + check.getStatus());
            }
        }
        by.values().forEach(list -> list.sort(null));
        return by;
    }

    private static boolean changed(Map<String, List<String>> before, Map<String, List<String>> now, String key) {
        return !Objects.equals(before.get(key), now.get(key));
    }

    private static QueryOptions blocking(long index, int waitSeconds) {
        return QueryOptions.blockSeconds(waitSeconds, BigInteger.valueOf(index)).build();
    }

    private boolean reachable() {
        return checks.isReachable() && registrations.isReachable();
    }

    private Duration staleness() {
        Duration a = checks.staleness();
        Duration b = registrations.staleness();
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** One service's view of the shared watch. */
    final class View extends PublishingWatch {

        private View(String service) {
            super(service);
        }

        @Override
        public Duration staleness() {
            return SharedServicesWatch.this.staleness();
        }

        @Override
        public boolean isConsulReachable() {
            return reachable();
        }

        @Override
        public void close() {
            views.remove(service(), this);
        }
    }
}
