package dev.refgateway.gateway.edge;

import java.util.Set;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * Helidon's HTTP/1 connections, each reading and writing through a {@link ClientConnection}. Added to a listener's
 * connection selectors with Helidon's own HTTP/1.1 switched off there, it is the listener's only protocol: Helidon
 * then hands every new connection to it at once, without waiting for a first byte (during which no timeout would
 * run). It takes every connection — HTTP/1.0 included, which Helidon's own selector turns away — and leaves judging
 * the bytes to the {@link RequestFramer}. Protocol upgrades (WebSocket, h2c) are not offered.
 */
final class EdgeSelector implements ServerConnectionSelector {

    private final Http1Config config;
    private final Http1ConnectionSelector http1;
    private final ClientConnections connections;

    EdgeSelector(Http1Config config, ClientConnections connections) {
        this.config = config;
        this.http1 = Http1ConnectionSelector.builder().config(config).build();
        this.connections = connections;
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData request) {
        return Support.SUPPORTED;
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        ClientConnection client = connections.accept(ctx, config);
        if (client == null) {
            return new RefusingConnection(ctx, connections.tooManyConnections());
        }
        return new TrackedConnection(http1.connection(client), client, connections);
    }
}
