package dev.refgateway.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.refgateway.discovery.registration.ConsulRegistrar;
import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.discovery.testing.FakeInstance;
import dev.refgateway.discovery.testing.WatchKind;
import dev.refgateway.discovery.watch.HealthyInstancesWatch;
import dev.refgateway.discovery.watch.ServiceWatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kiwiproject.consul.Consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Consul going away and coming back; this test owns its agent, since it stops it. */
class ConsulOutageTest {

    @ParameterizedTest
    @EnumSource(WatchKind.class)
    void theLastSnapshotIsKeptDuringAnOutageAndWatchingResumesAfterwards(WatchKind kind) throws Exception {
        List<AutoCloseable> watching = new ArrayList<>();
        try (ConsulAgent agent = ConsulAgent.start();
             FakeInstance instance = FakeInstance.start("outage-svc")) {
            Consul consul = agent.client();
            // Reconcile every second, so the registration is restored soon after a dev agent restarts empty.
            try (ConsulRegistrar registrar = ConsulRegistrar.start(
                    consul, instance.registration(), new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)),
                    Duration.ofSeconds(1))) {
                ServiceWatch watch = kind.start(consul, "outage-svc", watching::add);
                await().atMost(Duration.ofSeconds(5)).until(() -> watch.snapshot().size() == 1);

                agent.stop();

                await().atMost(Duration.ofSeconds(5)).until(() -> !watch.isConsulReachable());
                Thread.sleep(1_000);
                assertThat(watch.snapshot().instances()).extracting(ServiceInstance::id)
                        .containsExactly(instance.id());
                assertThat(watch.staleness()).isGreaterThanOrEqualTo(Duration.ofMillis(900));

                agent.restart();

                await().atMost(Duration.ofSeconds(15)).until(watch::isConsulReachable);
                await().atMost(Duration.ofSeconds(15)).until(
                        () -> ids(watch).equals(List.of(instance.id())) && registrar.isRegistered());
                assertThat(watch.staleness()).isZero();
            } finally {
                for (AutoCloseable closeable : watching.reversed()) {
                    closeable.close();
                }
            }
        }
    }

    @Test
    void anInstanceThatStartsBeforeConsulRegistersOnceConsulIsUp() throws Exception {
        try (ConsulAgent agent = ConsulAgent.start();
             FakeInstance instance = FakeInstance.start("early-svc")) {
            agent.stop();
            Consul consul = agent.client();
            try (ConsulRegistrar registrar = ConsulRegistrar.start(
                    consul, instance.registration(), new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)),
                    Duration.ofSeconds(10))) {
                Thread.sleep(500);
                assertThat(registrar.isRegistered()).isFalse();

                agent.restart();

                assertThat(registrar.awaitRegistered(Duration.ofSeconds(10))).isTrue();
                try (HealthyInstancesWatch watch = HealthyInstancesWatch.start(consul, "early-svc")) {
                    await().atMost(Duration.ofSeconds(5)).until(() -> watch.snapshot().size() == 1);
                }
            }
        }
    }

    private static List<String> ids(ServiceWatch watch) {
        return watch.snapshot().instances().stream().map(ServiceInstance::id).toList();
    }
}
