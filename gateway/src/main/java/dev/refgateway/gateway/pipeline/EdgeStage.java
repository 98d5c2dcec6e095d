package dev.refgateway.gateway.pipeline;

import dev.refgateway.gateway.relay.headers.ForwardedHeaders;
import dev.refgateway.gateway.relay.headers.RequestIds;
import dev.refgateway.gateway.relay.headers.TrustedProxies;

/**
 * What every request gets before anything is decided: a request id (the client's when sane, else a new one), echoed
 * on the answer, and the client's address (the peer's, or the one trusted proxies vouch for in
 * {@code X-Forwarded-For}), which rate limits and the access log use. Framing, the request line, the header size and
 * the canonical path were settled at the connection already ({@code edge}); nothing here refuses a request.
 */
final class EdgeStage implements Stage {

    private final TrustedProxies trustedProxies;

    EdgeStage(TrustedProxies trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    @Override
    public Verdict apply(Exchange exchange) {
        exchange.requestId = RequestIds.ensure(exchange.req.headers());
        exchange.res.header(RequestIds.X_REQUEST_ID, exchange.requestId);
        exchange.clientIp = ForwardedHeaders.clientIp(exchange.req.remotePeer().host(), exchange.req.headers(),
                                                      trustedProxies);
        return Verdict.NEXT;
    }
}
