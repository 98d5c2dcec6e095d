package dev.refgateway.gateway.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import dev.refgateway.gateway.settings.GatewaySettings;
import dev.refgateway.gateway.settings.GatewaySettingsTest;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;

/**
 * Runs stages on requests of Helidon's in-memory routing ({@code @RoutingTest}: no sockets, no edge) and tells what
 * they decided in headers of the answer: {@code X-Verdict} ({@code next}, or {@code refused <outcome>}), and for a
 * request that got through, what the stages found out. A refusal's status is its problem's; its body is not
 * rendered here (that is the pipeline's one renderer, {@link GatewayHandler}).
 */
final class StageHarness {

    static final HeaderName VERDICT = HeaderNames.create("X-Verdict");
    static final HeaderName ROUTE = HeaderNames.create("X-Route");
    static final HeaderName CALLER = HeaderNames.create("X-Caller");
    static final HeaderName CLIENT_IP = HeaderNames.create("X-Client-Ip");

    private StageHarness() {
    }

    /** Every request of {@code routing} goes through {@code stages} in order, as the pipeline runs them. */
    static void register(HttpRouting.Builder routing, List<Stage> stages) {
        routing.any((req, res) -> {
            Exchange exchange = new Exchange(req, res);
            for (Stage stage : stages) {
                Stage.Verdict verdict = stage.apply(exchange);
                if (verdict instanceof Stage.Verdict.Refused refused) {
                    res.header(VERDICT, "refused " + refused.refusal().outcome());
                    refused.refusal().headers().forEach(res::header);
                    res.status(refused.refusal().problem().status()).send();
                    return;
                }
                if (verdict instanceof Stage.Verdict.Answered) {
                    return;
                }
            }
            res.header(VERDICT, "next");
            res.header(ROUTE, exchange.routeId());
            res.header(CALLER, exchange.identity.kind() + " " + exchange.identity.clientId().orElse("-"));
            if (exchange.clientIp != null) {
                res.header(CLIENT_IP, exchange.clientIp);
            }
            res.send();
        });
    }

    /** The settings a {@code gateway:} section gives. */
    static GatewaySettings settings(String gatewayBody) {
        return GatewaySettingsTest.settings("gateway:\n" + gatewayBody);
    }

    /** The hex SHA-256 of an API key, as the configuration holds it. */
    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
