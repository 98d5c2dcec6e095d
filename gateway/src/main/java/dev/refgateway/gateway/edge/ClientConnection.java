package dev.refgateway.gateway.edge;

import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

import dev.refgateway.gateway.problem.ProblemResponses;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.ServerConnectionException;

/**
 * One client connection as Helidon's HTTP/1 connection sees it: the server's own context, except that every byte
 * read passes the connection's {@link RequestFramer} first and every byte written passes its {@link ResponseWriter}.
 * <p>
 * Reads happen on the connection's own thread, when Helidon's parser needs more: to start a request, or for more of
 * its body. A refusal of the framer ends the connection: refused in a head, the problem is answered here and the
 * read reports the end of the stream; refused in a body (Helidon is in the middle of that request), the read throws
 * {@link RefusedRequest}, which the gateway's handler answers.
 */
final class ClientConnection implements ConnectionContext {

    private final ConnectionContext server;
    private final HelidonSocket socket;
    private final RequestFramer framer;
    private final RequestClock clock;
    private final ResponseWriter writer;
    private final DataReader reader;
    // Bytes the server read to pick the protocol; handed on first. Touched by the connection's thread only.
    private DataReader peeked;
    private boolean refusalRaised;
    private long prologues;

    ClientConnection(ConnectionContext server, RequestClock clock, RequestFramer.Limits limits) {
        this.server = server;
        this.socket = server.serverSocket();
        this.clock = clock;
        this.framer = new RequestFramer(limits, clock);
        this.writer = new ResponseWriter(server.dataWriter(), framer::closeAfterThisRequest);
        this.peeked = server.dataReader();
        this.reader = DataReader.create(this::read);
        writer.nextAnswer(false);
    }

    RequestClock clock() {
        return clock;
    }

    ResponseWriter writer() {
        return writer;
    }

    /** The answer being written says {@code Connection: close}. */
    void answerCloses() {
        framer.closeAfterThisRequest();
    }

    /** Whether the request being read came as HTTP/1.0. */
    boolean http10() {
        return framer.http10();
    }

    /**
     * Helidon parsed a request line. It must be one the framer handed over as the start of a request: after an answer
     * that closes the connection, Helidon 4.5 skips the unread body and reads on, and would take body bytes (ones
     * already handed over, or ones it asks for next) for a request line. Such a request is never routed.
     */
    void prologueParsed() {
        if (++prologues > framer.heads()) {
            throw new CloseConnectionException("request line inside a body after an answer that closed the "
                                                       + "connection");
        }
    }

    private byte[] read() {
        if (framer.failed()) {
            return raiseOnce();
        }
        boolean between = !framer.inBody() && !framer.inHead();
        if (!framer.nextRequest()) {
            return null;    // the last request asked to close, or its answer did: the connection ends here
        }
        if (between) {
            writer.nextAnswer(false);
        }
        while (true) {
            long heads = framer.heads();
            byte[] out = framer.next();
            if (out.length > 0) {
                if (framer.heads() != heads && framer.http10()) {
                    writer.nextAnswer(true);
                }
                return out;
            }
            if (framer.failed()) {
                if (framer.inHeadFailure()) {
                    answerRefusal();
                    return null;
                }
                return raiseOnce();
            }
            if (framer.closed()) {
                return null;
            }
            byte[] bytes = receive();
            if (bytes == null) {
                framer.endOfInput();
                if (framer.failed()) {
                    return raiseOnce();
                }
                return null;
            }
            framer.received(bytes);
        }
    }

    private byte[] receive() {
        if (peeked != null) {
            DataReader buffered = peeked;
            peeked = null;
            int available = buffered.available();
            if (available > 0) {
                return buffered.readBytes(available);
            }
        }
        try {
            return socket.get();
        } catch (UncheckedIOException e) {
            // as the server's own reader does: a failed socket ends the connection quietly
            throw new ServerConnectionException("Failed to get data from socket", e);
        }
    }

    /**
     * A body the framer refused: the read that met it fails (the handler answers the refusal); every read after it
     * is the end of the stream, so that Helidon ends the connection without an answer of its own.
     */
    private byte[] raiseOnce() {
        if (refusalRaised) {
            return null;
        }
        refusalRaised = true;
        RequestFramer.Refusal refusal = framer.refusal();
        throw new RefusedRequest(refusal.problem(), refusal.detail());
    }

    /** A refused head: nothing of the request reached Helidon, so the answer is written here. */
    private void answerRefusal() {
        RequestFramer.Refusal refusal = framer.refusal();
        if (writer.claimForEdge()) {
            try {
                writer.writeAsSweeper(ProblemResponses.closingResponse(refusal.problem(), refusal.detail()));
            } catch (RuntimeException e) {
                // the client is gone already; closing is all that is left
            }
        }
    }

    @Override
    public DataReader dataReader() {
        return reader;
    }

    @Override
    public DataWriter dataWriter() {
        return writer;
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
