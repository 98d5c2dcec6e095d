package dev.refgateway.orders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.refgateway.discovery.ServiceInstance;
import dev.refgateway.discovery.balancing.LoadBalancer;
import dev.refgateway.discovery.watch.HealthyInstancesWatch;

import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;

import org.kiwiproject.consul.Consul;

/**
 * Asks user-service {@code GET /users/{id}}, on an instance chosen round robin among those Consul reports passing.
 * <p>
 * 200 means the user exists and 404 that it does not. A refused connection, a timeout or a 5xx is tried once more
 * on another instance; when that fails too, or no instance passes, the lookup throws
 * {@link UserDirectoryUnavailableException}. The whole lookup, retry included, ends within {@code users.timeout}
 * (plus at most one connect timeout, which the client cannot shorten per request): when a second instance could
 * be tried, the first attempt gets half of the budget and the second what is left.
 */
public final class ConsulUserDirectory implements UserDirectory {

    private static final Logger LOG = System.getLogger(ConsulUserDirectory.class.getName());
    /** One try plus one retry on another instance: enough to step over one dead instance, cheap for the caller. */
    private static final int MAX_ATTEMPTS = 2;

    private final HealthyInstancesWatch watch;
    private final UserDirectorySettings settings;
    private final LoadBalancer balancer = LoadBalancer.roundRobin();
    private final Http1Client client;

    ConsulUserDirectory(HealthyInstancesWatch watch, UserDirectorySettings settings) {
        this.watch = Objects.requireNonNull(watch, "watch");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.client = Http1Client.builder()
                // A proxy from the environment must not sit between two services on the same network.
                .proxy(Proxy.noProxy())
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.timeout())
                .followRedirects(false)
                .build();
    }

    /** Starts watching the passing instances of {@code settings.service()} in Consul. Returns at once. */
    public static ConsulUserDirectory start(Consul consul, UserDirectorySettings settings) {
        return new ConsulUserDirectory(HealthyInstancesWatch.start(consul, settings.service()), settings);
    }

    @Override
    public boolean exists(long userId) {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        awaitFirstSnapshot(deadline);
        Set<String> tried = new HashSet<>();
        String failure = "no passing instance";
        while (tried.size() < MAX_ATTEMPTS) {
            List<ServiceInstance> instances = watch.snapshot().instances();
            Optional<ServiceInstance> chosen = balancer.choose(instances, tried);
            if (chosen.isEmpty()) {
                break;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                failure = "timed out";
                break;
            }
            ServiceInstance instance = chosen.get();
            tried.add(instance.id());
            // Split what is left among the attempts still possible, so a slow first instance leaves time for
            // the second one instead of eating the whole budget.
            int attemptsLeft = Math.min(MAX_ATTEMPTS - tried.size(), untried(instances, tried)) + 1;
            switch (ask(instance, userId, atLeastOneMilli(remaining / attemptsLeft))) {
                case Answer.Known known -> {
                    return known.exists();
                }
                case Answer.Failed failed -> {
                    LOG.log(Level.WARNING, "{0} did not answer GET /users/{1,number,#}: {2}",
                            instance.id(), userId, failed.reason());
                    failure = failed.reason();
                    if (!failed.retryable()) {
                        throw unavailable(failure, tried.size());
                    }
                }
            }
        }
        throw unavailable(failure, tried.size());
    }

    /** Stops watching Consul and releases the client's connections. */
    @Override
    public void close() {
        watch.close();
        client.closeResource();
    }

    private Answer ask(ServiceInstance instance, long userId, Duration timeout) {
        try (Http1ClientResponse response = client.get()
                .uri(instance.baseUri().resolve("/users/" + userId))
                .readTimeout(timeout)
                .request()) {
            int code = response.status().code();
            if (code == 200) {
                return new Answer.Known(true);
            }
            if (code == 404) {
                return new Answer.Known(false);
            }
            if (code >= 500) {
                return new Answer.Failed("status " + code, true);
            }
            // A 4xx other than 404 would repeat on every instance: retrying only burns the caller's time.
            return new Answer.Failed("unexpected status " + code, false);
        } catch (UncheckedIOException e) {
            return new Answer.Failed(describe(e), true);
        } catch (RuntimeException e) {
            // Helidon reports a connection closed mid-response with its own unchecked exceptions.
            return new Answer.Failed("connection failed", true);
        }
    }

    /** A short, client-safe reason: never the exception's own message, which may name hosts and ports. */
    private static String describe(UncheckedIOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return "timed out";
            }
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
            if (cause instanceof IOException && cause.getCause() == null) {
                break;
            }
        }
        return "connection failed";
    }

    /** A socket read timeout of 0 ms would mean "wait forever". */
    private static Duration atLeastOneMilli(long nanos) {
        return Duration.ofMillis(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
    }

    private static int untried(List<ServiceInstance> instances, Set<String> tried) {
        int count = 0;
        for (ServiceInstance instance : instances) {
            if (!tried.contains(instance.id())) {
                count++;
            }
        }
        return count;
    }

    private void awaitFirstSnapshot(long deadline) {
        if (watch.hasSnapshot()) {
            return;
        }
        // Just after start Consul may not have answered yet; an empty list would be a false "no instance".
        try {
            if (!watch.awaitFirstSnapshot(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                throw unavailable("service discovery has not answered yet", 0);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted", 0);
        }
    }

    private UserDirectoryUnavailableException unavailable(String reason, int tried) {
        String detail = tried <= 1 ? reason : reason + " (" + tried + " instances tried)";
        return new UserDirectoryUnavailableException(settings.service(), detail);
    }

    /** What one instance said. */
    private sealed interface Answer {

        record Known(boolean exists) implements Answer {
        }

        record Failed(String reason, boolean retryable) implements Answer {
        }
    }
}
