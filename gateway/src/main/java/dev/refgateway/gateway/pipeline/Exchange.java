package dev.refgateway.gateway.pipeline;

import dev.refgateway.gateway.cors.CorsDecision;
import dev.refgateway.gateway.failover.AttemptLog;
import dev.refgateway.gateway.routing.Route;
import dev.refgateway.gateway.security.Identity;

import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * One request on its way through the stages: what the client sent, and what each stage found out — the route, the
 * caller's identity, the CORS decision, the body, the attempts. Metrics and the access log are written from it once,
 * at the end. Used by the request's own thread only.
 */
final class Exchange {

    final ServerRequest req;
    final ServerResponse res;
    final long started = System.nanoTime();
    final Method method;
    /** The canonical path (the edge made the request line carry it): what every decision is taken on. */
    final String path;
    final AttemptLog attempts = new AttemptLog();

    String requestId;
    String clientIp;
    Route route;
    Identity identity = Identity.ANONYMOUS;
    CorsDecision cors;
    RequestBody body;
    /**
     * The body bytes of an answer relayed as a stream, or -1: Helidon commits such an answer only after the handler
     * returns, so its status and size are known here rather than from the response.
     */
    long streamedBytes = -1;
    /** The label metrics and the access log record the request under. */
    String outcome = "error";

    Exchange(ServerRequest req, ServerResponse res) {
        this.req = req;
        this.res = res;
        this.method = req.prologue().method();
        this.path = req.path().rawPath();
    }

    /** The route's id, or {@code none} before one matched. */
    String routeId() {
        return route == null ? "none" : route.id();
    }
}
