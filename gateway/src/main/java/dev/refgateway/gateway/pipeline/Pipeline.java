package dev.refgateway.gateway.pipeline;

import java.util.List;

import dev.refgateway.gateway.cors.CorsPolicies;
import dev.refgateway.gateway.edge.ClientConnections;
import dev.refgateway.gateway.failover.Failover;
import dev.refgateway.gateway.grpc.GrpcTranscoder;
import dev.refgateway.gateway.observability.AccessLog;
import dev.refgateway.gateway.observability.GatewayMetrics;
import dev.refgateway.gateway.observability.RequestRecorder;
import dev.refgateway.gateway.ratelimit.RateLimiter;
import dev.refgateway.gateway.relay.ProxySettings;
import dev.refgateway.gateway.relay.Relay;
import dev.refgateway.gateway.relay.UpstreamClient;
import dev.refgateway.gateway.relay.headers.TrustedProxies;
import dev.refgateway.gateway.relay.headers.UntrustedHeaders;
import dev.refgateway.gateway.security.AuthFailureThrottle;
import dev.refgateway.gateway.security.RouteGuard;
import dev.refgateway.gateway.settings.GatewaySettings;
import dev.refgateway.gateway.upstream.InstancePicker;
import dev.refgateway.gateway.upstream.OutlierDetector;
import dev.refgateway.gateway.upstream.Upstreams;

import io.helidon.webserver.http.Handler;

/** The request path assembled from the settings: the stages in their order, and the client to instances. */
public final class Pipeline implements AutoCloseable {

    private final GatewayHandler handler;
    private final UpstreamClient client;
    private final GrpcTranscoder transcoder;

    private Pipeline(GatewayHandler handler, UpstreamClient client, GrpcTranscoder transcoder) {
        this.handler = handler;
        this.client = client;
        this.transcoder = transcoder;
    }

    /**
     * @param settings    the gateway's settings
     * @param upstreams   the routed services' instances
     * @param outliers    passive ejection
     * @param guard       authentication and authorization
     * @param rateLimiter rate limits
     * @param connections the edge of the public port (to drain refused bodies)
     * @param metrics     the meters
     * @param accessLog   the access log
     */
    public static Pipeline create(GatewaySettings settings, Upstreams upstreams, OutlierDetector outliers,
                                  RouteGuard guard, RateLimiter rateLimiter, ClientConnections connections,
                                  GatewayMetrics metrics, AccessLog accessLog) {
        ProxySettings proxy = settings.proxy();
        TrustedProxies trusted = TrustedProxies.create(proxy.trustedProxies());
        CorsPolicies cors = CorsPolicies.create(settings.cors());
        Relay relay = new Relay(proxy.via());
        UpstreamClient client = new UpstreamClient(proxy.connectTimeout(), proxy.connectionsPerInstance(),
                                                   proxy.idleTimeout());
        Failover failover = new Failover(new InstancePicker(proxy.panicThresholdPercent()), outliers,
                                         metrics.failoverEvents(), proxy.retryAfter());
        UpstreamRequests requests = new UpstreamRequests(trusted, UntrustedHeaders.create(proxy.untrustedHeaders()),
                                                         guard, relay);
        // gRPC's client (its event loop, its channels) only when a route translates.
        GrpcTranscoder transcoder = settings.grpc().servicesByRoute().isEmpty() ? null
                : new GrpcTranscoder(settings.grpc(), proxy.connectTimeout(), proxy.idleTimeout());
        List<Stage> stages = List.of(
                new EdgeStage(trusted),
                new RouteStage(settings.routes(), cors),
                new CorsStage(cors),
                new AuthenticationStage(guard, AuthFailureThrottle.create(settings.security().failedAuthLimit())),
                new RateLimitStage(rateLimiter),
                new ForwardStage(upstreams, failover, client, relay, requests, proxy.maxReplayBodyBytes(),
                                 proxy.attemptsHeader(), settings.grpc(), transcoder));
        GatewayHandler handler = new GatewayHandler(stages, connections, new RequestRecorder(metrics, accessLog),
                                                    proxy.attemptsHeader());
        return new Pipeline(handler, client, transcoder);
    }

    /** The handler of the public port's every request. */
    public Handler handler() {
        return handler;
    }

    /** Closes the idle connections to instances. */
    @Override
    public void close() {
        client.close();
        if (transcoder != null) {
            transcoder.close();
        }
    }
}
