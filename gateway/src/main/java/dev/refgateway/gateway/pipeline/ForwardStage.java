package dev.refgateway.gateway.pipeline;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.refgateway.gateway.failover.Failover;
import dev.refgateway.gateway.grpc.GrpcSettings;
import dev.refgateway.gateway.grpc.GrpcTranscoder;
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
 *   → a route that translates to gRPC: the request becomes a call ({@link GrpcTranscoder}; 400/404/405 if it cannot)
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
    private final GrpcSettings grpc;
    private final GrpcTranscoder transcoder;

    /**
     * @param grpc       which routes translate to gRPC
     * @param transcoder their calls; null when no route translates
     */
    ForwardStage(Upstreams upstreams, Failover failover, UpstreamClient client, Relay relay,
                 UpstreamRequests requests, int maxReplayBodyBytes, boolean attemptsHeader, GrpcSettings grpc,
                 GrpcTranscoder transcoder) {
        this.upstreams = upstreams;
        this.failover = failover;
        this.client = client;
        this.relay = relay;
        this.requests = requests;
        this.maxReplayBodyBytes = maxReplayBodyBytes;
        this.attemptsHeader = attemptsHeader;
        this.grpc = grpc;
        this.transcoder = transcoder;
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
        Optional<String> grpcService = grpc.serviceOf(exchange.route.id());
        Failover.Sender sender;
        if (grpcService.isPresent()) {
            GrpcTranscoder.Translation translation = translate(exchange, grpcService.get(), request, body);
            if (translation instanceof GrpcTranscoder.Translation.Refused refused) {
                return Verdict.refuse(refused.refusal());
            }
            GrpcTranscoder.Translated call = ((GrpcTranscoder.Translation.Call) translation).request();
            sender = (target, readTimeout) -> transcoder.call(target.instance(), call, request.headers(),
                                                              readTimeout);
        } else {
            sender = (target, readTimeout) -> client.send(target.instance(), request, readTimeout);
        }
        Failover.Result result = failover.run(plan, sender, exchange.attempts);
        return switch (result) {
            case Failover.Result.Answered answered -> relay(exchange, answered);
            case Failover.Result.Refused refused -> Verdict.refuse(refused.refusal());
        };
    }

    /**
     * The gRPC call a request of a translating route makes. Its body is read whole (a JSON document becomes one
     * message), so it may be as large as a replayable body and no larger.
     */
    private GrpcTranscoder.Translation translate(Exchange exchange, String service, UpstreamRequest request,
                                                 RequestBody body) {
        if (body.present() && body.bytes() == null) {
            return new GrpcTranscoder.Translation.Refused(Refusal.of(GatewayProblem.PAYLOAD_TOO_LARGE,
                    "a body translated to gRPC is read whole: at most " + maxReplayBodyBytes
                            + " bytes (gateway.proxy.max-replay-body-bytes)"));
        }
        if (body.present() && body.bytes().length > 0 && !isJson(exchange.req.headers())) {
            return new GrpcTranscoder.Translation.Refused(Refusal.of(GatewayProblem.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type: " + exchange.req.headers().first(HeaderNames.CONTENT_TYPE).orElse("(none)")
                            + " (expected: application/json for a body translated to gRPC)"));
        }
        String target = request.target();
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? null : target.substring(question + 1);
        boolean eventStream = exchange.req.headers().all(HeaderNames.ACCEPT, List::of).stream()
                .anyMatch(accept -> accept.toLowerCase(Locale.ROOT).contains("text/event-stream"));
        return transcoder.translate(service, exchange.method, path, query,
                                    body.present() ? body.bytes() : new byte[0], eventStream);
    }

    private static boolean isJson(io.helidon.http.Headers headers) {
        String type = headers.first(HeaderNames.CONTENT_TYPE).orElse("");
        int semicolon = type.indexOf(';');
        String media = (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || media.startsWith("application/") && media.endsWith("+json");
    }

    /** From here on nothing can be retried: the answer is on its way. */
    private Verdict relay(Exchange exchange, Failover.Result.Answered answered) {
        try (UpstreamResponse answer = answered.response()) {
            exchange.streamedBytes = relay.relay(answer, exchange.res, exchange.method == Method.HEAD, headers -> {
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
