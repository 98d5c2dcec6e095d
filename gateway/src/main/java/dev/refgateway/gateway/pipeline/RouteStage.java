package dev.refgateway.gateway.pipeline;

import java.util.Optional;

import dev.refgateway.gateway.cors.CorsPolicies;
import dev.refgateway.gateway.http1.MalformedMessage;
import dev.refgateway.gateway.http1.RequestTarget;
import dev.refgateway.gateway.problem.GatewayProblem;
import dev.refgateway.gateway.problem.Refusal;
import dev.refgateway.gateway.routing.Route;
import dev.refgateway.gateway.routing.RouteTable;

import io.helidon.http.Method;

/**
 * Finds the route: the most specific one whose path, methods, host and header conditions match ({@link RouteTable}),
 * on the canonical path. A CORS preflight is matched to the route its actual request will take, when that route has
 * CORS. No route: 404. A path with an encoded slash ({@code %2F}) on a route that does not allow it: 400.
 */
final class RouteStage implements Stage {

    private final RouteTable routes;
    private final CorsPolicies cors;

    RouteStage(RouteTable routes, CorsPolicies cors) {
        this.routes = routes;
        this.cors = cors;
    }

    @Override
    public Verdict apply(Exchange exchange) {
        if (!isCanonical(exchange.path)) {
            // The edge puts the canonical path in every request line it hands over; a path that is not canonical
            // came some other way, and is refused rather than decided on.
            return Verdict.refuse(Refusal.of(GatewayProblem.INVALID_REQUEST_TARGET,
                                             "The path is not in its canonical form", "not-canonical"));
        }
        Optional<Route> matched = match(exchange);
        if (matched.isEmpty()) {
            return Verdict.refuse(Refusal.of(GatewayProblem.ROUTE_NOT_FOUND,
                                             "No route for " + exchange.method.text() + " " + exchange.path,
                                             "no-route"));
        }
        Route route = matched.get();
        exchange.route = route;
        if (!route.allowEncodedSlash() && RequestTarget.hasEncodedSlash(exchange.path)) {
            return Verdict.refuse(Refusal.of(GatewayProblem.INVALID_REQUEST_TARGET, "The path has an encoded slash "
                    + "(%2F), which route " + route.id() + " does not allow (allow-encoded-slash)", "encoded-slash"));
        }
        return Verdict.NEXT;
    }

    private static boolean isCanonical(String path) {
        byte[] bytes = path.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        try {
            return RequestTarget.check(bytes, 0, bytes.length) == RequestTarget.UNCHANGED
                    || RequestTarget.canonical(path).target().equals(path);
        } catch (MalformedMessage e) {
            return false;
        }
    }

    private Optional<Route> match(Exchange exchange) {
        String authority = exchange.req.authority();
        Method asked = CorsPolicies.preflightTarget(exchange.method, exchange.req.headers());
        if (asked != null) {
            Optional<Route> target = routes.match(asked, authority, exchange.path, exchange.req.headers());
            if (target.isPresent() && cors.covers(target.get())) {
                return target;
            }
        }
        return routes.match(exchange.method, authority, exchange.path, exchange.req.headers());
    }
}
