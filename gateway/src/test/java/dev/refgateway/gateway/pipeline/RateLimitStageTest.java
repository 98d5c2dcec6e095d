package dev.refgateway.gateway.pipeline;

import java.util.List;

import dev.refgateway.gateway.cors.CorsPolicies;
import dev.refgateway.gateway.ratelimit.RateLimiter;
import dev.refgateway.gateway.relay.headers.TrustedProxies;
import dev.refgateway.gateway.settings.GatewaySettings;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;

import static dev.refgateway.gateway.pipeline.StageHarness.VERDICT;
import static org.assertj.core.api.Assertions.assertThat;

/** A limited route's answers say how much is left; a caller over the limit is refused with 429; others pass. */
@RoutingTest
class RateLimitStageTest {

    private static final GatewaySettings SETTINGS = StageHarness.settings("""
              routes:
                - id: limited
                  path: /limited/**
                  service: api
                  rate-limit: {capacity: 2, refill: 1, period: 1h}
                - id: free
                  path: /free/**
                  service: api
            """);

    private final DirectClient client;

    RateLimitStageTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        StageHarness.register(routing, List.of(
                new EdgeStage(TrustedProxies.none()),
                new RouteStage(SETTINGS.routes(), CorsPolicies.none()),
                new RateLimitStage(RateLimiter.create(SETTINGS.rateLimit(), RateLimiter.Events.NONE))));
    }

    @Test
    void theThirdRequestOfACallerWithTwoTokensIsRefused() {
        var first = client.get("/limited/a").request();
        var second = client.get("/limited/b").request();
        var third = client.get("/limited/c").request();

        assertThat(first.headers().get(VERDICT).get()).isEqualTo("next");
        assertThat(first.headers().get(HeaderNames.create("RateLimit-Remaining")).get()).isEqualTo("1");
        assertThat(second.headers().get(HeaderNames.create("RateLimit-Remaining")).get()).isEqualTo("0");
        assertThat(third.status().code()).isEqualTo(429);
        assertThat(third.headers().get(VERDICT).get()).isEqualTo("refused rate-limited");
    }

    @Test
    void aRouteWithoutALimitIsNeverCountedNorLabelled() {
        for (int i = 0; i < 5; i++) {
            var res = client.get("/free/" + i).request();
            assertThat(res.headers().get(VERDICT).get()).isEqualTo("next");
            assertThat(res.headers().contains(HeaderNames.create("RateLimit-Limit"))).isFalse();
        }
    }
}
