package dev.refgateway.gateway.pipeline;

import java.util.List;

import dev.refgateway.gateway.cors.CorsPolicies;
import dev.refgateway.gateway.settings.GatewaySettings;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;

import static dev.refgateway.gateway.pipeline.StageHarness.VERDICT;
import static org.assertj.core.api.Assertions.assertThat;

/** A preflight is answered here; an origin the route does not allow is refused; an allowed one goes on, labelled. */
@RoutingTest
class CorsStageTest {

    private static final GatewaySettings SETTINGS = StageHarness.settings("""
              routes:
                - id: api
                  path: /api/**
                  service: api
                  cors: {allow-origins: [https://app.example], allow-methods: [GET, PUT]}
            """);

    private final DirectClient client;

    CorsStageTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        CorsPolicies cors = CorsPolicies.create(SETTINGS.cors());
        StageHarness.register(routing, List.of(new RouteStage(SETTINGS.routes(), cors), new CorsStage(cors)));
    }

    @Test
    void aPreflightIsAnsweredByTheGatewayWithTheRoutesRules() {
        var res = client.method(Method.OPTIONS).path("/api/items")
                .header(HeaderNames.ORIGIN, "https://app.example")
                .header(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD, "PUT")
                .request();

        assertThat(res.status().code()).isEqualTo(204);
        assertThat(res.headers().contains(VERDICT)).as("answered by the stage, not passed on").isFalse();
        assertThat(res.headers().get(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN).get()).isEqualTo("https://app.example");
        assertThat(res.headers().get(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS).get()).contains("PUT");
    }

    @Test
    void anOriginTheRouteDoesNotAllowIsRefused() {
        var res = client.get("/api/items").header(HeaderNames.ORIGIN, "https://evil.example").request();

        assertThat(res.status().code()).isEqualTo(403);
        assertThat(res.headers().get(VERDICT).get()).startsWith("refused cors-refused");
    }

    @Test
    void anAllowedOriginGoesOnWithTheHeadersAPageNeeds() {
        var res = client.get("/api/items").header(HeaderNames.ORIGIN, "https://app.example").request();

        assertThat(res.headers().get(VERDICT).get()).isEqualTo("next");
        assertThat(res.headers().get(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN).get()).isEqualTo("https://app.example");
    }
}
