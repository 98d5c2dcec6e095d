package dev.refgateway.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.refgateway.discovery.registration.ConsulRegistrar;
import dev.refgateway.discovery.registration.HealthCheckSettings;
import dev.refgateway.discovery.registration.ServiceRegistration;
import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.discovery.testing.FakeInstance;
import dev.refgateway.discovery.watch.HealthyInstancesWatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kiwiproject.consul.Consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Registration and watching against a real Consul agent (one per test JVM). Each test uses its own service name,
 * so tests do not see each other's instances.
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

    @Test
    void aRegisteredInstanceShowsUpPassingWithItsAddressTagsAndMetadata() {
        FakeInstance instance = track(FakeInstance.start("registration-svc"));
        track(ConsulRegistrar.start(consul, instance.registration()));
        HealthyInstancesWatch watch = track(HealthyInstancesWatch.start(consul, "registration-svc"));

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

    @Test
    void anInstanceWhoseHealthEndpointFailsDropsOutWithinTwoSeconds() {
        FakeInstance failing = track(FakeInstance.start("failing-svc"));
        FakeInstance healthy = track(FakeInstance.start("failing-svc"));
        track(ConsulRegistrar.start(consul, failing.registration()));
        track(ConsulRegistrar.start(consul, healthy.registration()));
        HealthyInstancesWatch watch = track(HealthyInstancesWatch.start(consul, "failing-svc"));
        await().atMost(Duration.ofSeconds(5)).until(() -> watch.snapshot().size() == 2);

        failing.healthy(false);

        // One-second checks: Consul sees the failure at the next check, the blocking query returns at once.
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> ids(watch).equals(List.of(healthy.id())));
    }

    @Test
    void aDeregisteredInstanceDropsOutWithinOneSecond() {
        FakeInstance leaving = track(FakeInstance.start("deregistration-svc"));
        FakeInstance staying = track(FakeInstance.start("deregistration-svc"));
        ConsulRegistrar leavingRegistrar = track(ConsulRegistrar.start(consul, leaving.registration()));
        track(ConsulRegistrar.start(consul, staying.registration()));
        HealthyInstancesWatch watch = track(HealthyInstancesWatch.start(consul, "deregistration-svc"));
        await().atMost(Duration.ofSeconds(5)).until(() -> watch.snapshot().size() == 2);

        assertThat(leavingRegistrar.deregister()).isTrue();

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                .until(() -> ids(watch).equals(List.of(staying.id())));
    }

    @Test
    void listenersHearOfChangesToThePassingSetOnly() {
        FakeInstance passing = track(FakeInstance.start("listener-svc"));
        track(ConsulRegistrar.start(consul, passing.registration()));
        HealthyInstancesWatch watch = track(HealthyInstancesWatch.start(consul, "listener-svc"));
        await().atMost(Duration.ofSeconds(5)).until(() -> watch.snapshot().size() == 1);
        List<InstanceSnapshot> heard = new CopyOnWriteArrayList<>();
        watch.addListener(heard::add);
        assertThat(heard).hasSize(1); // the current state, at once

        // A second instance that never passes moves the service's Consul index but not the passing set.
        ServiceRegistration critical = new ServiceRegistration(
                "listener-svc", "listener-svc-unreachable", "127.0.0.1", 9, List.of(), Map.of("version", "1"),
                HealthCheckSettings.defaults());
        ConsulRegistrar criticalRegistrar = track(ConsulRegistrar.start(consul, critical));
        await().atMost(Duration.ofSeconds(5)).until(criticalRegistrar::isRegistered);
        long indexBefore = watch.snapshot().consulIndex();
        sleep(Duration.ofMillis(2_500)); // a few failing checks of the unreachable instance
        assertThat(heard).hasSize(1);
        assertThat(watch.snapshot().consulIndex()).isEqualTo(indexBefore);

        FakeInstance joining = track(FakeInstance.start("listener-svc"));
        track(ConsulRegistrar.start(consul, joining.registration()));
        await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 2);
        assertThat(heard.getLast().instances()).extracting(ServiceInstance::id)
                .containsExactlyInAnyOrder(passing.id(), joining.id());
    }

    @Test
    void aWatchOfAnUnknownServiceAnswersWithAnEmptySnapshot() throws InterruptedException {
        HealthyInstancesWatch watch = track(HealthyInstancesWatch.start(consul, "nobody-registers-this"));

        assertThat(watch.awaitFirstSnapshot(Duration.ofSeconds(5))).isTrue();
        assertThat(watch.snapshot().isEmpty()).isTrue();
        assertThat(watch.hasSnapshot()).isTrue();
    }

    private static List<String> ids(HealthyInstancesWatch watch) {
        return watch.snapshot().instances().stream().map(ServiceInstance::id).toList();
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
