package dev.refgateway.gateway.connection;

import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.ServerConnectionException;

/**
 * The server's connection context with a reader that tells the connection's {@link HeaderDeadline} when bytes
 * arrive. Helidon reports parsed request lines and headers to listeners, but not the arrival of a request's first
 * byte; reading through here is how the deadline learns it. Everything else is the server's own.
 */
final class TimedContext implements ConnectionContext {

    private final ConnectionContext server;
    private final HeaderDeadline deadline;
    private final HelidonSocket socket;
    private final DataReader reader;
    // Bytes the server read to pick the protocol; handed on first. Touched by the connection's thread only.
    private DataReader peeked;

    TimedContext(ConnectionContext server) {
        this.server = server;
        this.deadline = new HeaderDeadline(this);
        this.socket = server.serverSocket();
        this.peeked = server.dataReader();
        this.reader = DataReader.create(this::read);
    }

    HeaderDeadline deadline() {
        return deadline;
    }

    private byte[] read() {
        if (peeked != null) {
            DataReader buffered = peeked;
            peeked = null;
            int available = buffered.available();
            if (available > 0) {
                return buffered.readBytes(available);
            }
        }
        deadline.beforeRead();
        byte[] bytes;
        try {
            bytes = socket.get();
        } catch (UncheckedIOException e) {
            // as the server's own reader does: a failed socket ends the connection quietly
            throw new ServerConnectionException("Failed to get data from socket", e);
        }
        if (bytes != null) {
            deadline.received();
        }
        return bytes;
    }

    @Override
    public DataReader dataReader() {
        return reader;
    }

    @Override
    public DataWriter dataWriter() {
        return server.dataWriter();
    }

    @Override
    public HelidonSocket serverSocket() {
        return socket;
    }

    @Override
    public ListenerContext listenerContext() {
        return server.listenerContext();
    }

    @Override
    public ExecutorService executor() {
        return server.executor();
    }

    @Override
    public Router router() {
        return server.router();
    }

    @Override
    public Optional<ProxyProtocolData> proxyProtocolData() {
        return server.proxyProtocolData();
    }

    @Override
    public PeerInfo remotePeer() {
        return server.remotePeer();
    }

    @Override
    public PeerInfo localPeer() {
        return server.localPeer();
    }

    @Override
    public boolean isSecure() {
        return server.isSecure();
    }

    @Override
    public String socketId() {
        return server.socketId();
    }

    @Override
    public String childSocketId() {
        return server.childSocketId();
    }
}
