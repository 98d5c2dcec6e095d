package dev.refgateway.discovery.watch;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import dev.refgateway.discovery.InstanceSnapshot;
import dev.refgateway.discovery.ServiceInstance;

import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.HealthClient;
import org.kiwiproject.consul.model.ConsulResponse;
import org.kiwiproject.consul.model.health.Service;
import org.kiwiproject.consul.model.health.ServiceHealth;
import org.kiwiproject.consul.option.QueryOptions;

/**
 * The passing instances of one service, from a blocking query of its own
 * ({@code /v1/health/service/NAME?passing&index=N&wait=W}) on a thread of its own: the right shape for a client of
 * one or a few services (order-service finding user-service). A gateway routing to many services shares one watch
 * between them instead ({@link SharedServicesWatch}): a query per service costs the agent a connection each.
 */
public final class HealthyInstancesWatch extends PublishingWatch {

    private final HealthClient health;
    private final BlockingQueryLoop loop;

    private HealthyInstancesWatch(Consul consul, String service, WatchSettings settings) {
        super(service);
        this.health = consul.healthClient();
        this.loop = BlockingQueryLoop.start("consul-watch-" + service, service, Objects.requireNonNull(settings),
                                            this::round);
    }

    /** Starts watching {@code service} with default settings. Returns at once. */
    public static HealthyInstancesWatch start(Consul consul, String service) {
        return start(consul, service, WatchSettings.defaults());
    }

    /** Starts watching {@code service}. Returns at once; see {@link #awaitFirstSnapshot(Duration)}. */
    public static HealthyInstancesWatch start(Consul consul, String service, WatchSettings settings) {
        return new HealthyInstancesWatch(consul, service, settings);
    }

    @Override
    public Duration staleness() {
        return loop.staleness();
    }

    @Override
    public boolean isConsulReachable() {
        return loop.isReachable();
    }

    @Override
    public void close() {
        loop.close();
    }

    private long round(long index, int waitSeconds, boolean afterOutage) {
        ConsulResponse<List<ServiceHealth>> answer = health.getHealthyServiceInstances(
                service(), QueryOptions.blockSeconds(waitSeconds, BigInteger.valueOf(index)).build());
        long answered = indexOf(answer);
        offer(new InstanceSnapshot(service(), toInstances(answer.getResponse()), answered, Instant.now(), afterOutage));
        return answered;
    }

    static long indexOf(ConsulResponse<?> answer) {
        return answer.getIndex() == null ? 0 : answer.getIndex().longValue();
    }

    static List<ServiceInstance> toInstances(List<ServiceHealth> entries) {
        return entries.stream().map(HealthyInstancesWatch::toInstance).toList();
    }

    /** The instance a health entry describes (shared with views that list every instance, passing or not). */
    public static ServiceInstance toInstance(ServiceHealth entry) {
        Service s = entry.getService();
        // An empty service address means "same as the node": Consul's documented fallback.
        String host = s.getAddress() == null || s.getAddress().isBlank() ? entry.getNode().getAddress() : s.getAddress();
        return new ServiceInstance(s.getId(), s.getService(), host, s.getPort(), s.getTags(), s.getMeta());
    }
}
