package dev.refgateway.gateway.pipeline;

import java.util.List;

import dev.refgateway.gateway.relay.headers.RequestIds;
import dev.refgateway.gateway.relay.headers.TrustedProxies;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;

import static dev.refgateway.gateway.pipeline.StageHarness.CLIENT_IP;
import static dev.refgateway.gateway.pipeline.StageHarness.VERDICT;
import static org.assertj.core.api.Assertions.assertThat;

/** Every request gets a request id, echoed on its answer, and a client address nobody untrusted can choose. */
@RoutingTest
class EdgeStageTest {

    private final DirectClient client;

    EdgeStageTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        StageHarness.register(routing, List.of(new EdgeStage(TrustedProxies.none())));
    }

    @Test
    void aRequestWithoutAnIdGetsOneOnItsAnswer() {
        var res = client.get("/any").request();

        assertThat(res.headers().get(VERDICT).get()).isEqualTo("next");
        assertThat(res.headers().get(RequestIds.X_REQUEST_ID).get()).matches("[0-9a-f-]{16,}");
    }

    @Test
    void aSaneClientIdIsKeptAndAnInsaneOneReplaced() {
        var kept = client.get("/any").header(RequestIds.X_REQUEST_ID, "order-42").request();
        var replaced = client.get("/any").header(RequestIds.X_REQUEST_ID, "a b\"c").request();

        assertThat(kept.headers().get(RequestIds.X_REQUEST_ID).get()).isEqualTo("order-42");
        assertThat(replaced.headers().get(RequestIds.X_REQUEST_ID).get()).isNotEqualTo("a b\"c").doesNotContain(" ");
    }

    @Test
    void forwardedForFromAPeerNobodyTrustsIsIgnored() {
        var res = client.get("/any").header(io.helidon.http.HeaderNames.X_FORWARDED_FOR, "203.0.113.9").request();

        assertThat(res.headers().get(CLIENT_IP).get()).isNotEqualTo("203.0.113.9");
    }
}
