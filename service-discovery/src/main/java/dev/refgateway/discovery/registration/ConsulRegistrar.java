package dev.refgateway.discovery.registration;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.refgateway.discovery.Backoff;

import org.kiwiproject.consul.AgentClient;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.model.agent.ImmutableRegCheck;
import org.kiwiproject.consul.model.agent.ImmutableRegistration;
import org.kiwiproject.consul.model.agent.Registration;

/**
 * Keeps one instance registered in Consul until it is told to deregister.
 * <p>
 * Registration runs on its own thread, so the server starts serving at once even when Consul is not up yet: the
 * registrar retries with jittered exponential back-off until the agent answers. Once registered it checks every
 * {@code reconcileInterval} that the agent still knows the instance and registers it again if not (an agent that
 * restarted in dev mode, or an operator's mistaken deregistration, would otherwise hide a healthy instance forever).
 * <p>
 * {@link #deregister()} stops that loop first, then removes the instance, so a shutdown never races a re-registration.
 */
public final class ConsulRegistrar implements AutoCloseable {

    private static final Logger LOG = System.getLogger(ConsulRegistrar.class.getName());

    private final AgentClient agent;
    private final ServiceRegistration registration;
    private final Backoff backoff;
    private final Duration reconcileInterval;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch firstRegistration = new CountDownLatch(1);
    private final Thread loop;
    private volatile boolean registered;

    private ConsulRegistrar(Consul consul, ServiceRegistration registration, Backoff backoff, Duration reconcileInterval) {
        this.agent = consul.agentClient();
        this.registration = Objects.requireNonNull(registration, "registration");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.reconcileInterval = Objects.requireNonNull(reconcileInterval, "reconcileInterval");
        this.loop = Thread.ofPlatform()
                .daemon()
                .name("consul-registrar-" + registration.instanceId())
                .unstarted(this::run);
    }

    /**
     * Starts keeping {@code registration} registered, with default retry back-off (0.2 s doubling to 2 s) and a
     * reconciliation every 3 s. Returns at once.
     */
    public static ConsulRegistrar start(Consul consul, ServiceRegistration registration) {
        // Short on purpose: a restarted dev agent (or one that lost its state) forgets every instance, and callers
        // see none until each re-registers. A reconciliation is one cheap call to the local agent.
        return start(consul, registration, new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2)),
                     Duration.ofSeconds(3));
    }

    /** Starts keeping {@code registration} registered. Returns at once. */
    public static ConsulRegistrar start(Consul consul,
                                        ServiceRegistration registration,
                                        Backoff backoff,
                                        Duration reconcileInterval) {
        ConsulRegistrar registrar = new ConsulRegistrar(consul, registration, backoff, reconcileInterval);
        registrar.loop.start();
        return registrar;
    }

    public ServiceRegistration registration() {
        return registration;
    }

    /** Whether the last attempt to register (or to confirm the registration) succeeded. */
    public boolean isRegistered() {
        return registered;
    }

    /** Waits until the first successful registration; false when {@code timeout} passed first. */
    public boolean awaitRegistered(Duration timeout) throws InterruptedException {
        return firstRegistration.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops re-registering, then removes the instance from Consul. Safe to call more than once.
     *
     * @return true when Consul confirmed the deregistration
     */
    public boolean deregister() {
        if (!stopped.compareAndSet(false, true)) {
            return false;
        }
        loop.interrupt();
        try {
            loop.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            agent.deregister(registration.instanceId());
            registered = false;
            LOG.log(Level.INFO, "Deregistered {0} from Consul", registration.instanceId());
            return true;
        } catch (RuntimeException e) {
            // Consul removes it anyway once its check has been critical for deregister-critical-after.
            LOG.log(Level.WARNING, "Could not deregister {0} from Consul: {1}", registration.instanceId(), e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        deregister();
    }

    private void run() {
        int failures = 0;
        while (!stopped.get()) {
            Duration pause;
            try {
                if (!registered || !agent.getServices().containsKey(registration.instanceId())) {
                    agent.register(toConsul(registration));
                    if (!registered || failures > 0) {
                        LOG.log(Level.INFO, "Registered {0} in Consul as {1} at {2}:{3,number,#}",
                                registration.serviceName(), registration.instanceId(),
                                registration.address(), registration.port());
                    }
                    registered = true;
                    firstRegistration.countDown();
                }
                failures = 0;
                pause = reconcileInterval;
            } catch (RuntimeException e) {
                registered = false;
                if (failures == 0) {
                    LOG.log(Level.WARNING, "Consul did not accept the registration of {0} yet ({1}); retrying",
                            registration.instanceId(), e.toString());
                }
                pause = backoff.delay(failures++);
            }
            if (!sleep(pause)) {
                return;
            }
        }
    }

    private boolean sleep(Duration pause) {
        try {
            Thread.sleep(pause);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    static Registration toConsul(ServiceRegistration r) {
        HealthCheckSettings check = r.check();
        return ImmutableRegistration.builder()
                .id(r.instanceId())
                .name(r.serviceName())
                .address(r.address())
                .port(r.port())
                .tags(r.tags())
                .meta(r.metadata())
                .check(checkOf(r, check))
                .build();
    }

    private static Registration.RegCheck checkOf(ServiceRegistration r, HealthCheckSettings check) {
        ImmutableRegCheck.Builder builder = switch (r.checkKind()) {
            case HTTP -> ImmutableRegCheck.builder().http(r.checkUrl());
            case GRPC -> ImmutableRegCheck.builder().grpc(r.hostPort()).grpcUseTls(false);
        };
        return builder.interval(goDuration(check.interval()))
                .timeout(goDuration(check.timeout()))
                .deregisterCriticalServiceAfter(goDuration(check.deregisterCriticalAfter()))
                .build();
    }

    /** Consul takes Go durations ("1500ms"); milliseconds are exact for every Duration we accept. */
    static String goDuration(Duration d) {
        return d.toMillis() + "ms";
    }
}
