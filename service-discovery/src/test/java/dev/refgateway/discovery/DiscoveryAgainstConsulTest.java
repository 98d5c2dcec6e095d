package dev.refgateway.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import dev.refgateway.discovery.registration.ConsulRegistrar;
import dev.refgateway.discovery.registration.HealthCheckSettings;
import dev.refgateway.discovery.registration.ServiceRegistration;
import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.discovery.testing.FakeInstance;
import dev.refgateway.discovery.testing.WatchKind;
import dev.refgateway.discovery.watch.ServiceWatch;
import dev.refgateway.discovery.watch.SharedServicesWatch;
import dev.refgateway.discovery.watch.WatchSettings;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.model.agent.ImmutableRegistration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Registration and watching against a real Consul agent (one per test JVM). Each test uses its own service name,
 * so tests do not see each other's instances. Every watching test runs with both kinds of watch ({@link WatchKind}).
 */
class DiscoveryAgainstConsulTest {

    private static Consul consul;
    private final List<AutoCloseable> cleanup = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startConsul() {
        consul = ConsulAgent.shared().client();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : cleanup.reversed()) {
            closeable.close();
        }
    }

    @ParameterizedTest
    @EnumSource(WatchKind.class)
    void aRegisteredInstanceShowsUpPassingWithItsAddressTagsAndMetadata(WatchKind kind) {
        FakeInstance instance = track(FakeInstance.start(kind.name("registration-svc")));
        track(ConsulRegistrar.start(consul, instance.registration()));
        ServiceWatch watch = watch(kind, kind.name("registration-svc"));

        await().atMost(Duration.ofSeconds(5)).until(() -> watch.snapshot().size() == 1);

        ServiceInstance seen = watch.snapshot().instances().getFirst();
        assertThat(seen.id()).isEqualTo(instance.id());
        assertThat(seen.host()).isEqualTo("127.0.0.1");
        assertThat(seen.port()).isEqualTo(instance.port());
        assertThat(seen.tags()).containsExactly("test");
        assertThat(seen.metadata()).containsEntry("version", "1.2.3");
        assertThat(watch.isConsulReachable()).isTrue();
        assertThat(watch.staleness()).isZero();
    }

    @ParameterizedTest
    @EnumSource(WatchKind.class)
    void anInstanceWhoseHealthEndpointFailsDropsOutWithinTwoSeconds(WatchKind kind) {
        FakeInstance failing = track(FakeInstance.start(kind.name("failing-svc")));
        FakeInstance healthy = track(FakeInstance.start(kind.name("failing-svc")));
        track(ConsulRegistrar.start(consul, failing.registration()));
        track(ConsulRegistrar.start(consul, healthy.registration()));
        ServiceWatch watch = watch(kind, kind.name("failing-svc"));
        await().atMost(Duration.ofSeconds(5)).until(() -> watch.snapshot().size() == 2);

        failing.healthy(false);

        // One-second checks: Consul sees the failure at the next check, the blocking query returns at once.
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> ids(watch).equals(List.of(healthy.id())));
    }

    @ParameterizedTest
    @EnumSource(WatchKind.class)
    void aDeregisteredInstanceDropsOutWithinOneSecond(WatchKind kind) {
        FakeInstance leaving = track(FakeInstance.start(kind.name("deregistration-svc")));
        FakeInstance staying = track(FakeInstance.start(kind.name("deregistration-svc")));
        ConsulRegistrar leavingRegistrar = track(ConsulRegistrar.start(consul, leaving.registration()));
        track(ConsulRegistrar.start(consul, staying.registration()));
        ServiceWatch watch = watch(kind, kind.name("deregistration-svc"));
        await().atMost(Duration.ofSeconds(5)).until(() -> watch.snapshot().size() == 2);

        assertThat(leavingRegistrar.deregister()).isTrue();

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                .until(() -> ids(watch).equals(List.of(staying.id())));
    }

    @ParameterizedTest
    @EnumSource(WatchKind.class)
    void listenersHearOfChangesToThePassingSetOnly(WatchKind kind) {
        FakeInstance passing = track(FakeInstance.start(kind.name("listener-svc")));
        track(ConsulRegistrar.start(consul, passing.registration()));
        ServiceWatch watch = watch(kind, kind.name("listener-svc"));
        await().atMost(Duration.ofSeconds(5)).until(() -> watch.snapshot().size() == 1);
        List<InstanceSnapshot> heard = new CopyOnWriteArrayList<>();
        watch.addListener(heard::add);
        assertThat(heard).hasSize(1); // the current state, at once

        // A second instance that never passes moves the service's Consul index but not the passing set.
        ServiceRegistration critical = new ServiceRegistration(
                kind.name("listener-svc"), kind.name("listener-svc-unreachable"), "127.0.0.1", 9, List.of(), Map.of("version", "1"),
                HealthCheckSettings.defaults());
        ConsulRegistrar criticalRegistrar = track(ConsulRegistrar.start(consul, critical));
        await().atMost(Duration.ofSeconds(5)).until(criticalRegistrar::isRegistered);
        long indexBefore = watch.snapshot().consulIndex();
        sleep(Duration.ofMillis(2_500)); // a few failing checks of the unreachable instance
        assertThat(heard).hasSize(1);
        assertThat(watch.snapshot().consulIndex()).isEqualTo(indexBefore);

        FakeInstance joining = track(FakeInstance.start(kind.name("listener-svc")));
        track(ConsulRegistrar.start(consul, joining.registration()));
        await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 2);
        assertThat(heard.getLast().instances()).extracting(ServiceInstance::id)
                .containsExactlyInAnyOrder(passing.id(), joining.id());
    }

    @ParameterizedTest
    @EnumSource(WatchKind.class)
    void aWatchOfAnUnknownServiceAnswersWithAnEmptySnapshot(WatchKind kind) throws InterruptedException {
        ServiceWatch watch = watch(kind, kind.name("nobody-registers-this"));

        assertThat(watch.awaitFirstSnapshot(Duration.ofSeconds(5))).isTrue();
        assertThat(watch.snapshot().isEmpty()).isTrue();
        assertThat(watch.hasSnapshot()).isTrue();
    }

    private static List<String> ids(ServiceWatch watch) {
        return watch.snapshot().instances().stream().map(ServiceInstance::id).toList();
    }

    @ParameterizedTest
    @EnumSource(WatchKind.class)
    void anInstanceRegisteredWithoutAnyCheckAppearsAndLeaves(WatchKind kind) {
        // No check: only the catalog's index moves, not the health checks' (the shared watch's second query).
        String service = kind.name("unchecked-svc");
        ServiceWatch watch = watch(kind, service);
        await().atMost(Duration.ofSeconds(5)).until(watch::hasSnapshot);
        assertThat(watch.snapshot().isEmpty()).isTrue();

        registerWithoutCheck(service, service + "-1", 9101);

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
                .until(() -> ids(watch).equals(List.of(service + "-1")));
        assertThat(watch.snapshot().instances().getFirst().port()).isEqualTo(9101);

        consul.agentClient().deregister(service + "-1");

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
                .until(() -> watch.snapshot().isEmpty());
    }

    @Test
    void oneSharedWatchFollowsMoreServicesThanTheAgentTakesConnectionsFromOneAddress() {
        // An agent serves at most 200 connections from one client address (limits.http_max_conns_per_client): a
        // blocking query per service could not watch 250 services from here; the shared watch holds two.
        int count = 250;
        List<String> services = IntStream.range(0, count).mapToObj(i -> "many-svc-" + i).toList();
        for (int i = 0; i < count; i++) {
            registerWithoutCheck(services.get(i), services.get(i) + "-a", 10_000 + i);
        }
        SharedServicesWatch shared = track(SharedServicesWatch.start(consul, WatchSettings.defaults()));
        List<ServiceWatch> watches = services.stream().map(shared::service).toList();

        await().atMost(Duration.ofSeconds(20)).until(() -> watches.stream().allMatch(w -> w.snapshot().size() == 1));
        assertThat(watches.get(count - 1).snapshot().instances().getFirst().port()).isEqualTo(10_000 + count - 1);

        consul.agentClient().deregister(services.get(7) + "-a");

        await().atMost(Duration.ofSeconds(5)).until(() -> watches.get(7).snapshot().isEmpty());
        assertThat(watches.stream().filter(w -> w.snapshot().size() == 1)).hasSize(count - 1);
        await().atMost(Duration.ofSeconds(5)).until(watches.getFirst()::isConsulReachable);
    }

    private void registerWithoutCheck(String service, String id, int port) {
        consul.agentClient().register(ImmutableRegistration.builder()
                                              .id(id).name(service).address("127.0.0.1").port(port).build());
        cleanup.add(() -> consul.agentClient().deregister(id));
    }

    private ServiceWatch watch(WatchKind kind, String service) {
        return kind.start(consul, service, cleanup::add);
    }

    private <T extends AutoCloseable> T track(T closeable) {
        cleanup.add(closeable);
        return closeable;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
