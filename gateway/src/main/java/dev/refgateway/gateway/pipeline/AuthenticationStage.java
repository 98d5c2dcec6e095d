package dev.refgateway.gateway.pipeline;

import java.util.List;

import dev.refgateway.gateway.problem.GatewayProblem;
import dev.refgateway.gateway.problem.Refusal;
import dev.refgateway.gateway.security.AuthFailureThrottle;
import dev.refgateway.gateway.security.Decision;
import dev.refgateway.gateway.security.RouteGuard;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;

/**
 * Who the caller is and whether the route lets them in ({@link RouteGuard}): public routes take anyone; others want
 * a valid API key or JWT (401 with a challenge), a well-formed one (400), and the route's scopes for the method
 * (403). A client address with too many failed attempts lately is refused before its credentials are even looked
 * at (429 with {@code Retry-After}): guessing keys costs time. A refused request never reaches an instance.
 */
final class AuthenticationStage implements Stage {

    private final RouteGuard guard;
    private final AuthFailureThrottle throttle;

    AuthenticationStage(RouteGuard guard, AuthFailureThrottle throttle) {
        this.guard = guard;
        this.throttle = throttle;
    }

    @Override
    public Verdict apply(Exchange exchange) {
        if (!exchange.route.auth().isPublic()) {
            long retryAfter = throttle.secondsUntilAllowed(exchange.clientIp);
            if (retryAfter > 0) {
                return Verdict.refuse(Refusal.of(GatewayProblem.TOO_MANY_AUTH_FAILURES,
                        "Too many failed authentication attempts from this address; retry in " + retryAfter + " s",
                        "auth-throttled").retryAfter(retryAfter));
            }
        }
        Decision decision = guard.check(exchange.route, exchange.method, exchange.req.headers());
        if (decision instanceof Decision.Allowed allowed) {
            exchange.identity = allowed.identity();
            return Verdict.NEXT;
        }
        if (!(decision instanceof Decision.Unavailable)) {
            throttle.failed(exchange.clientIp);
        }
        return Verdict.refuse(refusal(decision));
    }

    private static Refusal refusal(Decision decision) {
        return switch (decision) {
            case Decision.Unauthenticated u -> new Refusal(u.status().code() == 400
                    ? GatewayProblem.INVALID_CREDENTIALS : GatewayProblem.UNAUTHENTICATED, u.reason(), u.label(),
                    challenge(u.wwwAuthenticate()));
            case Decision.Forbidden f -> new Refusal(GatewayProblem.INSUFFICIENT_SCOPE, f.reason(), f.label(),
                                                     challenge(f.wwwAuthenticate()));
            case Decision.Unavailable u -> Refusal.of(GatewayProblem.AUTH_UNAVAILABLE, u.reason(), u.label());
            case Decision.Allowed a -> throw new IllegalArgumentException("an allowed request is not refused");
        };
    }

    private static List<Header> challenge(String wwwAuthenticate) {
        return List.of(HeaderValues.create(HeaderNames.WWW_AUTHENTICATE, wwwAuthenticate));
    }
}
