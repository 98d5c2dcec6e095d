package dev.refgateway.gateway.pipeline;

import java.util.List;

import dev.refgateway.gateway.cors.CorsPolicies;
import dev.refgateway.gateway.relay.headers.TrustedProxies;
import dev.refgateway.gateway.security.AuthFailureThrottle;
import dev.refgateway.gateway.security.RouteGuard;
import dev.refgateway.gateway.settings.GatewaySettings;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;

import static dev.refgateway.gateway.pipeline.StageHarness.CALLER;
import static dev.refgateway.gateway.pipeline.StageHarness.VERDICT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Public routes take anyone; others want a valid key (401 with a challenge) and the route's scopes (403). The throttle
 * of failing addresses: AuthenticationThrottleStageTest.
 */
@RoutingTest
class AuthenticationStageTest {

    private static final String KEY = "k-0123456789abcdef0123456789abcdef";
    private static final GatewaySettings SETTINGS = StageHarness.settings("""
              security:
                api-keys:
                  - {client-id: reader, sha256: %s, scopes: [items:read]}
              routes:
                - id: open
                  path: /open/**
                  service: api
                - id: items
                  path: /items/**
                  service: api
                  auth: {policy: api-key, scopes: {GET: [items:read], "*": [items:write]}}
            """.formatted(StageHarness.sha256(KEY)));

    private final DirectClient client;

    AuthenticationStageTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        StageHarness.register(routing, List.of(
                new EdgeStage(TrustedProxies.none()),
                new RouteStage(SETTINGS.routes(), CorsPolicies.none()),
                new AuthenticationStage(RouteGuard.create(SETTINGS.security()),
                                        AuthFailureThrottle.create(SETTINGS.security().failedAuthLimit()))));
    }

    @Test
    void aPublicRouteTakesAnyone() {
        var res = client.get("/open/x").request();

        assertThat(res.headers().get(VERDICT).get()).isEqualTo("next");
        assertThat(res.headers().get(CALLER).get()).isEqualTo("ANONYMOUS -");
    }

    @Test
    void aValidKeyWithTheScopeGetsThroughAsItsClient() {
        var res = client.get("/items/1").header(HeaderNames.create("X-API-Key"), KEY).request();

        assertThat(res.headers().get(VERDICT).get()).isEqualTo("next");
        assertThat(res.headers().get(CALLER).get()).isEqualTo("API_KEY reader");
    }

    @Test
    void noKeyIs401WithAChallengeAndAMissingScope403() {
        var missing = client.get("/items/1").request();
        var unscoped = client.put("/items/1").header(HeaderNames.create("X-API-Key"), KEY).request();

        assertThat(missing.status().code()).isEqualTo(401);
        assertThat(missing.headers().get(HeaderNames.WWW_AUTHENTICATE).get()).startsWith("Bearer realm=");
        assertThat(unscoped.status().code()).isEqualTo(403);
    }
}
