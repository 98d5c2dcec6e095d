package dev.refgateway.gateway.pipeline;

import dev.refgateway.gateway.problem.GatewayProblem;
import dev.refgateway.gateway.problem.Refusal;
import dev.refgateway.gateway.ratelimit.Outcome;
import dev.refgateway.gateway.ratelimit.RateLimitHeaders;
import dev.refgateway.gateway.ratelimit.RateLimiter;
import dev.refgateway.gateway.security.Identity;

/**
 * The route's rate limit, per caller: who authenticated, or the client's address on public routes
 * ({@link RateLimiter}). Every answer of a limited route carries the {@code RateLimit-*} headers; a caller over its
 * limit is refused (429 with {@code Retry-After}) and costs the instances nothing; with shared buckets in Redis that
 * do not answer and {@code fail-closed}, 503.
 */
final class RateLimitStage implements Stage {

    private final RateLimiter limiter;

    RateLimitStage(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public Verdict apply(Exchange exchange) {
        if (!limiter.limits(exchange.route)) {
            return Verdict.NEXT;
        }
        // The address matters only to anonymous callers; authenticated ones are counted by who they are.
        String clientIp = exchange.identity.kind() == Identity.Kind.ANONYMOUS ? exchange.clientIp : null;
        Outcome outcome = limiter.check(exchange.route, exchange.identity, clientIp);
        RateLimitHeaders.write(outcome, exchange.res.headers());
        String route = exchange.route.id();
        return switch (outcome) {
            case Outcome.Limited l -> Verdict.refuse(Refusal.of(GatewayProblem.RATE_LIMITED, "Rate limit of route "
                    + route + " exceeded (" + l.limit() + " requests at once); retry in " + l.retryAfterSeconds()
                    + " s", "rate-limited"));
            case Outcome.Unavailable u -> Verdict.refuse(Refusal.of(GatewayProblem.RATE_LIMITER_UNAVAILABLE,
                    "The rate limiter of route " + route + " cannot count requests right now", "rate-limiter-down"));
            case Outcome.Allowed a -> Verdict.NEXT;
            case Outcome.Unlimited u -> Verdict.NEXT;
        };
    }
}
