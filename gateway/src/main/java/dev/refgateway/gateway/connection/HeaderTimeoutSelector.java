package dev.refgateway.gateway.connection;

import java.util.Set;

import io.helidon.common.buffers.BufferData;
import io.helidon.config.Config;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * Helidon's HTTP/1.1 connections with a header-read deadline ({@link HeaderTimeouts}). Added to a listener's
 * connection selectors, which the server asks before those of its configured protocols: every HTTP/1.1 connection of
 * that listener comes through here. Protocol upgrades (WebSocket, h2c) are not offered on such a listener.
 */
public final class HeaderTimeoutSelector implements ServerConnectionSelector {

    private final Http1ConnectionSelector http1;
    private final HeaderTimeouts timeouts;

    private HeaderTimeoutSelector(Http1ConnectionSelector http1, HeaderTimeouts timeouts) {
        this.http1 = http1;
        this.timeouts = timeouts;
    }

    /**
     * @param http1Config the listener's {@code protocols.http_1_1} node (limits of the request line and headers)
     * @param timeouts    the sweeper that cuts off connections whose request head is overdue
     */
    public static HeaderTimeoutSelector create(Config http1Config, HeaderTimeouts timeouts) {
        Http1Config config = Http1Config.builder()
                .config(http1Config)
                .addReceiveListener(timeouts.listener())
                .build();
        return new HeaderTimeoutSelector(Http1ConnectionSelector.builder().config(config).build(), timeouts);
    }

    @Override
    public int bytesToIdentifyConnection() {
        return http1.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData request) {
        return http1.supports(request);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        TimedContext timed = new TimedContext(ctx);
        HeaderDeadline deadline = timed.deadline();
        ServerConnection connection = http1.connection(timed);
        deadline.connection(connection);
        timeouts.started(deadline);
        return new TimedConnection(connection, deadline, timeouts);
    }
}
