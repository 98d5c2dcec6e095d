package dev.refgateway.gateway.pipeline;

import dev.refgateway.gateway.cors.CorsDecision;
import dev.refgateway.gateway.cors.CorsPolicies;
import dev.refgateway.gateway.problem.GatewayProblem;
import dev.refgateway.gateway.problem.Refusal;

import io.helidon.http.Status;

/**
 * The route's CORS policy, before authentication: browsers send no credentials on a preflight. A preflight is
 * answered here (204) and never reaches an instance; a cross-origin request the policy does not allow is refused
 * (403). The gateway's {@code Access-Control-*} headers are written now, so that an allowed page can read the
 * gateway's own answers (401, 429, 503) too.
 */
final class CorsStage implements Stage {

    private final CorsPolicies cors;

    CorsStage(CorsPolicies cors) {
        this.cors = cors;
    }

    @Override
    public Verdict apply(Exchange exchange) {
        CorsDecision decision = cors.decide(exchange.route, exchange.method, exchange.req.headers(),
                                            exchange.req.authority());
        exchange.cors = decision;
        decision.writeTo(exchange.res.headers());
        return switch (decision) {
            case CorsDecision.Preflight p -> {
                exchange.res.status(Status.NO_CONTENT_204).send();
                yield Verdict.answered("cors-preflight");
            }
            case CorsDecision.Refused r -> Verdict.refuse(Refusal.of(GatewayProblem.CORS_REFUSED, r.detail(),
                                                                     "cors-refused-" + r.refused()));
            case CorsDecision.Allowed a -> Verdict.NEXT;
            case CorsDecision.NotCrossOrigin n -> Verdict.NEXT;
            case CorsDecision.None n -> Verdict.NEXT;
        };
    }
}
