package dev.refgateway.gateway.pipeline;

import dev.refgateway.gateway.relay.Relay;
import dev.refgateway.gateway.relay.UpstreamRequest;
import dev.refgateway.gateway.relay.headers.ForwardedHeaders;
import dev.refgateway.gateway.relay.headers.HopByHopHeaders;
import dev.refgateway.gateway.relay.headers.RequestIds;
import dev.refgateway.gateway.relay.headers.TrustedProxies;
import dev.refgateway.gateway.relay.headers.UntrustedHeaders;
import dev.refgateway.gateway.security.Identity;
import dev.refgateway.gateway.security.IdentityHeaders;
import dev.refgateway.gateway.security.RouteGuard;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.http.ServerRequest;

/**
 * The request an instance gets, built once per client request (every attempt sends the same):
 * <ul>
 *     <li>the request line: the method, the route's rewrite of the canonical path, then {@code ?} and the raw query
 *     exactly as the client sent it;</li>
 *     <li>the client's end-to-end headers ({@link HopByHopHeaders}) minus the untrusted ones
 *     ({@link UntrustedHeaders});</li>
 *     <li>the caller's identity in {@code X-Auth-*}, whatever the client sent under those names; an API key never
 *     goes on ({@code X-API-Key}, and {@code Authorization: Bearer} carrying a configured key, on every route);</li>
 *     <li>{@code X-Forwarded-*} ({@link ForwardedHeaders}), {@code X-Request-Id}, and {@code Via}.</li>
 * </ul>
 * The gateway's own headers are written after the copy, so a client cannot remove them by naming them in
 * {@code Connection}.
 */
final class UpstreamRequests {

    private final TrustedProxies trustedProxies;
    private final UntrustedHeaders untrusted;
    private final RouteGuard guard;
    private final Relay relay;

    UpstreamRequests(TrustedProxies trustedProxies, UntrustedHeaders untrusted, RouteGuard guard, Relay relay) {
        this.trustedProxies = trustedProxies;
        this.untrusted = untrusted;
        this.guard = guard;
        this.relay = relay;
    }

    UpstreamRequest build(Exchange exchange, RequestBody body) {
        ServerRequest req = exchange.req;
        WritableHeaders<?> headers = WritableHeaders.create();
        HopByHopHeaders.copyRequestHeaders(req.headers(), headers, untrusted);
        // Whatever identity headers the client sent are replaced by the identity the gateway established.
        IdentityHeaders.write(exchange.identity, headers);
        if (exchange.identity.kind() != Identity.Kind.API_KEY && guard.carriesApiKey(req.headers())) {
            headers.remove(HeaderNames.AUTHORIZATION);
        }
        ForwardedHeaders.apply(req.remotePeer().host(), req.isSecure() ? "https" : "http", req.authority(),
                               req.headers(), headers, trustedProxies);
        headers.set(RequestIds.X_REQUEST_ID, exchange.requestId);
        String via = relay.via(req.prologue().protocolVersion());
        if (via != null) {
            headers.add(HeaderValues.create(HeaderNames.VIA, via));
        }
        String query = req.query().rawValue();
        String path = exchange.route.rewrite().apply(exchange.path);
        String target = query == null || query.isEmpty() ? path : path + "?" + query;
        return new UpstreamRequest(exchange.method, target, headers, body);
    }
}
