package dev.refgateway.gateway.pipeline;

import java.io.IOException;

import dev.refgateway.gateway.failover.Failover;
import dev.refgateway.gateway.http1.MalformedMessage;
import dev.refgateway.gateway.problem.GatewayProblem;
import dev.refgateway.gateway.problem.Refusal;
import dev.refgateway.gateway.relay.Relay;
import dev.refgateway.gateway.relay.UpstreamClient;
import dev.refgateway.gateway.relay.UpstreamRequest;
import dev.refgateway.gateway.relay.UpstreamResponse;
import dev.refgateway.gateway.relay.headers.RequestIds;
import dev.refgateway.gateway.upstream.Upstream;
import dev.refgateway.gateway.upstream.Upstreams;

import io.helidon.faulttolerance.BulkheadException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;

/**
 * The last stage: the request goes to an instance and its answer back to the client.
 * <pre>
 * bulkhead of the service (503 when full) → body read up to the replay limit
 *   → failover: instance after instance until one answers ({@link Failover})
 *   → relay the answer: status, end-to-end headers, body streamed ({@link Relay})
 * </pre>
 */
final class ForwardStage implements Stage {

    static final HeaderName GATEWAY_ATTEMPTS = HeaderNames.create("Gateway-Attempts");

    private final Upstreams upstreams;
    private final Failover failover;
    private final UpstreamClient client;
    private final Relay relay;
    private final UpstreamRequests requests;
    private final int maxReplayBodyBytes;
    private final boolean attemptsHeader;

    ForwardStage(Upstreams upstreams, Failover failover, UpstreamClient client, Relay relay,
                 UpstreamRequests requests, int maxReplayBodyBytes, boolean attemptsHeader) {
        this.upstreams = upstreams;
        this.failover = failover;
        this.client = client;
        this.relay = relay;
        this.requests = requests;
        this.maxReplayBodyBytes = maxReplayBodyBytes;
        this.attemptsHeader = attemptsHeader;
    }

    @Override
    public Verdict apply(Exchange exchange) {
        String service = exchange.route.service();
        Upstream upstream = upstreams.get(service)
                .orElseThrow(() -> new IllegalStateException("No upstream for " + service));
        upstream.activeRequests().incrementAndGet();
        try {
            return upstream.bulkhead().isPresent()
                    ? upstream.bulkhead().get().invoke(() -> forward(exchange, upstream))
                    : forward(exchange, upstream);
        } catch (BulkheadException e) {
            return Verdict.refuse(Refusal.of(GatewayProblem.UPSTREAM_OVERLOADED,
                                             service + " has too many requests in progress"));
        } finally {
            upstream.activeRequests().decrementAndGet();
        }
    }

    private Verdict forward(Exchange exchange, Upstream upstream) {
        long declared = exchange.req.headers().contentLength().orElse(-1);
        RequestBody body = RequestBody.read(exchange.req, declared, maxReplayBodyBytes);
        exchange.body = body;
        UpstreamRequest request = requests.build(exchange, body);
        String keyHeader = exchange.route.policy().retry().idempotencyKeyHeader();
        Failover.Plan plan = new Failover.Plan(upstream, exchange.method, exchange.route.policy(),
                                               exchange.req.headers().contains(HeaderNames.create(keyHeader)),
                                               body::replayable);
        Failover.Result result = failover.run(plan, (target, readTimeout) ->
                client.send(target.instance(), request, readTimeout), exchange.attempts);
        return switch (result) {
            case Failover.Result.Answered answered -> relay(exchange, answered);
            case Failover.Result.Refused refused -> Verdict.refuse(refused.refusal());
        };
    }

    /** From here on nothing can be retried: the answer is on its way. */
    private Verdict relay(Exchange exchange, Failover.Result.Answered answered) {
        try (UpstreamResponse answer = answered.response()) {
            relay.relay(answer, exchange.res, exchange.method == Method.HEAD, headers -> {
                // On a route with CORS the gateway's Access-Control-* headers replace the instance's: never two.
                exchange.cors.writeTo(headers);
                if (attemptsHeader) {
                    headers.set(GATEWAY_ATTEMPTS, exchange.attempts.toString());
                }
            });
            return Verdict.answered(answer.status() >= 500 ? "upstream-error" : "success");
        } catch (IOException | MalformedMessage e) {
            // The body broke before anything was committed (a failure after that ends the connection in the relay):
            // the instance's answer is not relayed at all, the client gets a proper 502.
            exchange.res.headers().clear();
            exchange.res.header(RequestIds.X_REQUEST_ID, exchange.requestId);
            return Verdict.refuse(Refusal.of(GatewayProblem.BAD_UPSTREAM_RESPONSE, exchange.route.service()
                    + " broke its answer's body (" + e.getMessage() + ")"));
        }
    }
}
