package dev.refgateway.gateway.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import dev.refgateway.gateway.edge.ClientConnections;
import dev.refgateway.gateway.edge.RefusedRequest;
import dev.refgateway.gateway.failover.ClientBodyFailure;
import dev.refgateway.gateway.observability.AccessLog;
import dev.refgateway.gateway.observability.RequestRecorder;
import dev.refgateway.gateway.problem.GatewayProblem;
import dev.refgateway.gateway.problem.ProblemResponses;
import dev.refgateway.gateway.problem.Refusal;
import dev.refgateway.gateway.security.Identity;

import io.helidon.http.Header;
import io.helidon.http.HeaderValues;
import io.helidon.http.RequestException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * One request's way through the gateway, as a list of stages run in order:
 * <pre>
 * edge      request id, client address        ({@link EdgeStage}; framing and the canonical path: the connection)
 * route     the most specific route; 404      ({@link RouteStage})
 * cors      preflight 204, refused 403        ({@link CorsStage})
 * auth      401 / 400 / 403 / 429             ({@link AuthenticationStage})
 * limit     429 / 503                         ({@link RateLimitStage})
 * forward   failover + relay; 502 / 503 / 504 ({@link ForwardStage})
 * </pre>
 * A stage goes on, refuses (the refusal is rendered here, the one place every problem answer is written), or has
 * answered itself. Metrics and the access log are written once, when the request ends, whatever ended it.
 */
public final class GatewayHandler implements Handler {

    private final List<Stage> stages;
    private final ClientConnections connections;
    private final RequestRecorder recorder;
    private final boolean attemptsHeader;

    GatewayHandler(List<Stage> stages, ClientConnections connections, RequestRecorder recorder,
                   boolean attemptsHeader) {
        this.stages = List.copyOf(stages);
        this.connections = connections;
        this.recorder = recorder;
        this.attemptsHeader = attemptsHeader;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        Exchange exchange = new Exchange(req, res);
        GatewayProblem refused = null;
        try {
            for (Stage stage : stages) {
                Stage.Verdict verdict = stage.apply(exchange);
                if (verdict instanceof Stage.Verdict.Refused refusal) {
                    refused = refusal.refusal().problem();
                    refuse(exchange, refusal.refusal());
                    return;
                }
                if (verdict instanceof Stage.Verdict.Answered answered) {
                    exchange.outcome = answered.outcome();
                    return;
                }
            }
            throw new IllegalStateException("The last stage answers every request");
        } catch (ClientBodyFailure e) {
            refused = clientBodyFailed(exchange, e);
        } finally {
            record(exchange, refused);
        }
    }

    /** Every refusal is answered here: the problem, its headers, and a connection that stays usable or is closed. */
    private void refuse(Exchange exchange, Refusal refusal) {
        exchange.outcome = refusal.outcome();
        ServerResponse res = exchange.res;
        for (Header header : refusal.headers()) {
            res.header(header);
        }
        if (attemptsHeader && !exchange.attempts.isEmpty()) {
            res.header(ForwardStage.GATEWAY_ATTEMPTS, exchange.attempts.toString());
        }
        // A body the client is still sending would be read as the next request: read it away, or close.
        if (!connections.drainUnreadBody(exchange.req)) {
            res.header(HeaderValues.CONNECTION_CLOSE);
        }
        ProblemResponses.send(res, refusal.problem(), refusal.detail(), exchange.path);
    }

    /**
     * The client's body could not be read. Its framing broke the rules: the edge refused it (400, the connection is
     * closed). Over {@code server.max-payload-size}: Helidon's 413, rendered by its error path. Cut off by the body
     * deadline, or gone: the connection is closed, nothing more can be said.
     */
    private GatewayProblem clientBodyFailed(Exchange exchange, ClientBodyFailure failure) {
        RefusedRequest framing = find(failure, RefusedRequest.class);
        if (framing != null && !exchange.res.isSent()) {
            exchange.outcome = "bad-framing";
            exchange.res.header(HeaderValues.CONNECTION_CLOSE);
            ProblemResponses.send(exchange.res, framing.problem(), framing.detail(), exchange.path);
            return framing.problem();
        }
        RequestException refused = find(failure, RequestException.class);
        if (refused != null) {
            exchange.outcome = "payload-too-large";
            throw refused;
        }
        exchange.outcome = "client-body-failure";
        throw failure.getCause() instanceof UncheckedIOException io ? io
                : new UncheckedIOException(new IOException("Reading the request body failed", failure.getCause()));
    }

    private void record(Exchange exchange, GatewayProblem refused) {
        ServerResponse res = exchange.res;
        boolean streamed = exchange.streamedBytes >= 0;
        int status = res.isSent() || streamed ? res.status().code() : statusOfUnsent(exchange);
        Identity identity = exchange.identity;
        recorder.record(new AccessLog.Entry(
                exchange.requestId,
                exchange.clientIp,
                identity.kind() == Identity.Kind.ANONYMOUS ? null : identity.principal(),
                exchange.method.text(),
                exchange.path,
                exchange.route == null ? null : exchange.route.id(),
                exchange.attempts.isEmpty() ? null : exchange.attempts.lastInstance(),
                status,
                exchange.body == null ? 0 : exchange.body.bytesRead(),
                res.isSent() ? res.bytesWritten() : Math.max(0, exchange.streamedBytes),
                System.nanoTime() - exchange.started,
                exchange.attempts.count(),
                exchange.outcome), refused);
    }

    /** A request whose answer was not sent by the gateway: Helidon's 413, or none (the connection was closed). */
    private static int statusOfUnsent(Exchange exchange) {
        return "payload-too-large".equals(exchange.outcome) ? 413 : 0;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
