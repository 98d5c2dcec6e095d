package dev.refgateway.gateway.edge;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.refgateway.gateway.problem.GatewayProblem;
import dev.refgateway.gateway.problem.ProblemResponses;

import io.helidon.config.Config;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * The client connections of one listener: how many may be open at once, and the deadlines of the requests they are
 * reading. Helidon 4.5 has neither a deadline for a request's head or body (its read timeout is applied to client
 * sockets only; its idle timeout stops looking once a request line is in) nor a clean refusal beyond a connection
 * cap (its own cap stops accepting, so clients wait in the backlog).
 * <ul>
 *     <li>Beyond {@code max-connections}, a new connection is answered 503 problem+json and closed at once.</li>
 *     <li>One sweeper thread checks every open connection's {@link RequestClock}: a head not complete within the
 *     header timeout of its first byte, or a body slower than its size allows, is answered 408 problem+json (when
 *     the handler has not started an answer) and the connection is closed. A client that reads nothing either is
 *     closed a little later anyway.</li>
 * </ul>
 * The request path itself only moves timestamps; the sweeper does the rest.
 */
public final class ClientConnections implements AutoCloseable {

    private static final Logger LOG = System.getLogger(ClientConnections.class.getName());
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** What the metrics want to know. */
    public interface Events {
        /** A connection was cut off because a request head did not arrive in time. */
        void headerTimeout();

        /** A connection was cut off because a request body did not arrive in time. */
        void bodyTimeout();

        /** A connection was refused because {@code max-connections} were open. */
        void refused();
    }

    private final EdgeSettings settings;
    private final Events events;
    // Every open connection (what the sweeper walks), and the same by socket id for finding a request's connection.
    // Helidon's socket ids are identity hash codes, not unique: the map is only a hint, checked against the peer.
    private final Set<ClientConnection> open = ConcurrentHashMap.newKeySet();
    private final Map<String, ClientConnection> bySocketId = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final ScheduledExecutorService sweeper;
    private final byte[] tooMany;

    public ClientConnections(EdgeSettings settings, Events events) {
        this.settings = settings;
        this.events = events;
        this.tooMany = ProblemResponses.closingResponse(GatewayProblem.TOO_MANY_CONNECTIONS,
                "The gateway has " + settings.maxConnections() + " client connections open; try again later");
        this.sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("edge-deadline-sweeper").factory());
        // A tenth of the shorter timeout: cut off at most 10 % late, and at most once a second for long timeouts.
        long shortest = Math.min(settings.headerReadTimeout().toMillis(), settings.bodyReadTimeout().toMillis());
        long period = Math.clamp(shortest / 10, 20, 1000);
        sweeper.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * The HTTP/1 connections of a listener, through the edge: framing, deadlines, the connection cap.
     *
     * @param http1Config the listener's {@code protocols.http_1_1} node (request-line limit, validation switches)
     */
    public ServerConnectionSelector selector(Config http1Config) {
        Http1Config base = Http1Config.builder().config(http1Config).build();
        Http1Config config = Http1Config.builder()
                .config(http1Config)
                // The edge enforces the header limit (431); Helidon must never refuse what the edge passed, a head
                // it rewrote (a Host from an absolute-form target, an added Connection line) included.
                .maxHeadersSize(settings.maxHeaderBytes() + base.maxPrologueLength() + 1024)
                .addReceiveListener(new Http1ConnectionListener() {
                    @Override
                    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
                        if (ctx instanceof ClientConnection client) {
                            client.prologueParsed();
                        }
                    }
                })
                .addSendListener(new Http1ConnectionListener() {
                    @Override
                    public void headers(ConnectionContext ctx, Headers headers) {
                        if (ctx instanceof ClientConnection client
                                && headers.containsToken(HeaderValues.CONNECTION_CLOSE)) {
                            client.answerCloses();
                        }
                    }
                })
                .build();
        return new EdgeSelector(config, this);
    }

    /** Client connections open now. */
    public int openConnections() {
        return count.get();
    }

    /** The connection a request came on, if it came through this edge. */
    Optional<ClientConnection> of(ServerRequest request) {
        ClientConnection connection = bySocketId.get(request.socketId());
        if (connection == null || connection.remotePeer().port() != request.remotePeer().port()
                || !connection.remotePeer().host().equals(request.remotePeer().host())) {
            return Optional.empty();
        }
        return Optional.of(connection);
    }

    /**
     * Reads and drops the unread body of a request the gateway refused, so that the connection can carry the next
     * request: at most {@code drain-max-bytes}, within {@code drain-timeout}. False when it could not (too large,
     * too slow, broken): then the answer must close the connection instead.
     */
    public boolean drainUnreadBody(ServerRequest request) {
        if (!request.content().hasEntity() || request.content().consumed()) {
            return true;
        }
        ClientConnection connection = of(request).orElse(null);
        long declared = request.headers().contentLength().orElse(-1);
        if (connection == null || settings.drainMaxBytes() == 0 || declared > settings.drainMaxBytes()) {
            return false;
        }
        connection.clock().limitBody(settings.drainTimeout().toNanos());
        try (InputStream in = request.content().inputStream()) {
            byte[] scratch = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(scratch)) >= 0) {
                total += n;
                if (total > settings.drainMaxBytes()) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A new connection: its context, or null when the cap is reached (then it is answered 503 and closed). */
    ClientConnection accept(ConnectionContext ctx, Http1Config http1) {
        if (count.incrementAndGet() > settings.maxConnections()) {
            count.decrementAndGet();
            events.refused();
            return null;
        }
        RequestFramer.Limits limits = new RequestFramer.Limits(http1.maxPrologueLength(), settings.maxHeaderBytes(),
                                                               authority(ctx));
        RequestClock clock = new RequestClock(settings.headerReadTimeout().toNanos(),
                                              settings.bodyReadTimeout().toNanos(), settings.bodyMinRate());
        ClientConnection connection = new ClientConnection(ctx, clock, limits);
        open.add(connection);
        bySocketId.put(ctx.childSocketId(), connection);
        return connection;
    }

    /** The 503 of a connection beyond the cap. */
    byte[] tooManyConnections() {
        return tooMany;
    }

    /** The connection ended (called once per accepted connection). */
    void ended(ClientConnection connection) {
        open.remove(connection);
        bySocketId.remove(connection.childSocketId(), connection);
        count.decrementAndGet();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (ClientConnection connection : open) {
            try {
                RequestClock.Expired expired = connection.clock().expire(now);
                if (expired == RequestClock.Expired.HEAD) {
                    cutOff(connection, GatewayProblem.REQUEST_HEADER_TIMEOUT, "The request line and headers did not "
                            + "arrive within " + settings.headerReadTimeout().toMillis() + " ms");
                    events.headerTimeout();
                } else if (expired == RequestClock.Expired.BODY) {
                    cutOff(connection, GatewayProblem.REQUEST_BODY_TIMEOUT, "The request body did not arrive within "
                            + settings.bodyReadTimeout().toSeconds() + " s plus 1 s per " + settings.bodyMinRate()
                            + " bytes");
                    events.bodyTimeout();
                } else if (connection.clock().overdue(now, GRACE_NANOS)) {
                    close(connection);
                }
            } catch (RuntimeException e) {
                // An exception would cancel the sweeper for good, leaving every later connection unwatched.
                LOG.log(Level.WARNING, "Edge deadlines: could not cut off a connection", e);
            }
        }
    }

    private void cutOff(ClientConnection connection, GatewayProblem problem, String detail) {
        String host = connection.remotePeer().host();   // while the socket is still open
        int port = connection.remotePeer().port();
        byte[] answer = ProblemResponses.closingResponse(problem, detail);
        // Writing may block on a client that reads nothing either: not on the sweeper's thread.
        Thread.ofVirtual().name("edge-cut-off").start(() -> {
            try {
                if (connection.writer().claimForSweeper()) {
                    connection.writer().writeAsSweeper(answer);
                }
            } catch (RuntimeException e) {
                // the client is gone already; closing is all that is left
            } finally {
                close(connection);
            }
        });
        LOG.log(Level.INFO, "Closed connection from {0}:{1,number,#}: {2} ({3,number,#})", host, port, detail,
                problem.status().code());
    }

    private static void close(ClientConnection connection) {
        try {
            // The connection's thread, blocked reading, fails and ends the connection quietly.
            connection.serverSocket().close();
        } catch (RuntimeException e) {
            // already closed
        }
    }

    private static String authority(ConnectionContext ctx) {
        String host = ctx.localPeer().host();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + ctx.localPeer().port();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }

    /** Status of the refusal beyond the cap, for tests. */
    static Status refusedStatus() {
        return GatewayProblem.TOO_MANY_CONNECTIONS.status();
    }
}
