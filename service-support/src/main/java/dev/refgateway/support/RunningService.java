package dev.refgateway.support;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.refgateway.discovery.registration.ConsulRegistrar;

import io.helidon.webserver.WebServer;

/**
 * A running service instance. {@link #shutdown()} is the zero-downtime sequence: callers stop choosing this instance
 * before it stops answering.
 */
public final class RunningService implements AutoCloseable {

    private static final Logger LOG = System.getLogger(RunningService.class.getName());

    private final ServiceContext context;
    private final WebServer server;
    private final List<ConsulRegistrar> registrars;
    private final InFlightRequests inFlight;
    private final ShutdownState state;
    private final InstanceSettings instance;
    private final AtomicBoolean stopped = new AtomicBoolean();

    RunningService(ServiceContext context,
                   WebServer server,
                   List<ConsulRegistrar> registrars,
                   InFlightRequests inFlight,
                   ShutdownState state,
                   InstanceSettings instance) {
        this.context = context;
        this.server = server;
        this.registrars = List.copyOf(registrars);
        this.inFlight = inFlight;
        this.state = state;
        this.instance = instance;
    }

    public int port() {
        return server.port();
    }

    public String instanceId() {
        return registrar().registration().instanceId();
    }

    /** The port of the gRPC API, or -1 when the service has none. */
    public int grpcPort() {
        return registrars.size() > 1 ? server.port(SampleService.GRPC_SOCKET) : -1;
    }

    public WebServer server() {
        return server;
    }

    public ServiceContext context() {
        return context;
    }

    /** The registration of the HTTP API. */
    public ConsulRegistrar registrar() {
        return registrars.getFirst();
    }

    /** Every registration: the HTTP API's, then the gRPC API's when there is one. */
    public List<ConsulRegistrar> registrars() {
        return registrars;
    }

    /**
     * Deregisters from Consul, keeps serving for the drain period (callers may still hold the old instance list),
     * waits for requests in flight up to the drain timeout, then stops the server and closes the database.
     * Safe to call more than once; later calls return at once.
     */
    public void shutdown() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        state.begin();
        registrars.forEach(ConsulRegistrar::deregister);
        LOG.log(Level.INFO, "Draining {0}: serving {1} more, then waiting for {2} request(s) in flight",
                instanceId(), instance.drainPeriod(), inFlight.count());
        try {
            Thread.sleep(instance.drainPeriod());
            if (!inFlight.awaitIdle(instance.drainTimeout())) {
                LOG.log(Level.WARNING, "{0} request(s) still in flight after {1}; stopping anyway",
                        inFlight.count(), instance.drainTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
        context.database().close();
        context.consul().destroy();
        LOG.log(Level.INFO, "{0} stopped", instanceId());
    }

    @Override
    public void close() {
        shutdown();
    }
}
