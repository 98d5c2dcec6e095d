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

import static dev.refgateway.gateway.pipeline.StageHarness.VERDICT;
import static org.assertj.core.api.Assertions.assertThat;

/** An address that keeps failing is refused before its credentials are looked at, the right key included (429). */
@RoutingTest
class AuthenticationThrottleStageTest {

    private static final String KEY = "k-fedcba9876543210fedcba9876543210";
    private static final GatewaySettings SETTINGS = StageHarness.settings("""
              security:
                api-keys:
                  - {client-id: reader, sha256: %s}
                failed-auth-limit: {failures: 3, period: 1m}
              routes:
                - id: guarded
                  path: /guarded/**
                  service: api
                  auth: {policy: api-key}
            """.formatted(StageHarness.sha256(KEY)));

    private final DirectClient client;

    AuthenticationThrottleStageTest(DirectClient client) {
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
    void anAddressThatKeepsFailingIsThrottledBeforeItsKeyIsLookedAt() {
        for (int i = 0; i < 3; i++) {
            assertThat(client.get("/guarded/x").header(HeaderNames.create("X-API-Key"), "wrong-" + i).request()
                               .status().code()).isEqualTo(401);
        }

        var throttled = client.get("/guarded/x").header(HeaderNames.create("X-API-Key"), KEY).request();

        assertThat(throttled.status().code()).isEqualTo(429);
        assertThat(throttled.headers().get(VERDICT).get()).isEqualTo("refused auth-throttled");
        assertThat(throttled.headers().get(HeaderNames.RETRY_AFTER).get()).matches("[1-9][0-9]*");
    }
}
