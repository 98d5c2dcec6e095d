package dev.refgateway.discovery;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The passing instances of one service at one moment: immutable, ordered by instance id so that every reader
 * (and every round-robin) sees the same order.
 *
 * @param service     the service name
 * @param instances   passing instances, sorted by id
 * @param consulIndex the Consul index (X-Consul-Index) the list was read at; 0 before the first answer
 * @param fetchedAt   when Consul answered with this list
 * @param afterOutage whether this is Consul's first answer after it could not be reached: an empty list then is
 *                    more likely Consul's loss (a restarted agent that forgot its registrations) than every
 *                    instance failing at once
 */
public record InstanceSnapshot(String service, List<ServiceInstance> instances, long consulIndex, Instant fetchedAt,
                               boolean afterOutage) {

    private static final Comparator<ServiceInstance> BY_ID = Comparator.comparing(ServiceInstance::id);

    public InstanceSnapshot {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        instances = instances.stream().sorted(BY_ID).toList();
    }

    /** An answer in the normal course of watching. */
    public InstanceSnapshot(String service, List<ServiceInstance> instances, long consulIndex, Instant fetchedAt) {
        this(service, instances, consulIndex, fetchedAt, false);
    }

    /** A snapshot with no instances, used before Consul has answered once. */
    public static InstanceSnapshot empty(String service) {
        return new InstanceSnapshot(service, List.of(), 0, Instant.EPOCH);
    }

    public boolean isEmpty() {
        return instances.isEmpty();
    }

    public int size() {
        return instances.size();
    }

    /** True when both snapshots hold exactly the same instances (ids, addresses, tags and metadata). */
    public boolean sameInstancesAs(InstanceSnapshot other) {
        return instances.equals(other.instances);
    }
}
