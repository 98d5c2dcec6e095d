package dev.refgateway.gateway.pipeline;

import java.util.List;

import dev.refgateway.gateway.cors.CorsPolicies;
import dev.refgateway.gateway.settings.GatewaySettings;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;

import static dev.refgateway.gateway.pipeline.StageHarness.ROUTE;
import static dev.refgateway.gateway.pipeline.StageHarness.VERDICT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The most specific route wins; no route is a 404; a preflight goes to the route of the method it asks about. (An
 * encoded slash cannot be sent through the in-memory client, which escapes it: GatewayRequestFramingIT sends it over
 * a socket.)
 */
@RoutingTest
class RouteStageTest {

    private static final GatewaySettings SETTINGS = StageHarness.settings("""
              routes:
                - id: users
                  path: /users/**
                  service: user-service
                - id: user-photos
                  path: /users/*/photos/**
                  service: photo-service
                - id: uploads
                  path: /uploads/**
                  methods: [PUT]
                  service: file-service
                  cors: {allow-origins: [https://app.example], allow-methods: [PUT]}
            """);

    private final DirectClient client;

    RouteStageTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        StageHarness.register(routing, List.of(new RouteStage(SETTINGS.routes(),
                                                              CorsPolicies.create(SETTINGS.cors()))));
    }

    @Test
    void theMostSpecificRouteIsTaken() {
        assertThat(client.get("/users/7").request().headers().get(ROUTE).get()).isEqualTo("users");
        assertThat(client.get("/users/7/photos/1").request().headers().get(ROUTE).get()).isEqualTo("user-photos");
    }

    @Test
    void noRouteIsA404() {
        var res = client.get("/nowhere").request();

        assertThat(res.status().code()).isEqualTo(404);
        assertThat(res.headers().get(VERDICT).get()).isEqualTo("refused no-route");
    }

    @Test
    void aPreflightIsMatchedToTheRouteOfTheMethodItAsksAbout() {
        var res = client.method(io.helidon.http.Method.OPTIONS).path("/uploads/x")
                .header(HeaderNames.ORIGIN, "https://app.example")
                .header(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD, "PUT")
                .request();

        assertThat(res.headers().get(ROUTE).get()).isEqualTo("uploads");
    }
}
