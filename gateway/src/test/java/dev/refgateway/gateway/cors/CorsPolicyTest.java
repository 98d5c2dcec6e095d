package dev.refgateway.gateway.cors;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.WritableHeaders;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The CORS decision of one route, without a server: what is allowed, refused, and which headers go out. */
class CorsPolicyTest {

    private static final String APP = "https://app.example.com";

    private final CorsPolicy strict = CorsPolicy.create("users", new CorsRules(
            Set.of(APP), Set.of("GET", "PUT"), Set.of("content-type", "x-api-key"), List.of("X-Request-Id"), true,
            Duration.ofMinutes(10)));
    private final CorsPolicy open = CorsPolicy.create("public", new CorsRules(
            Set.of("*"), Set.of("*"), Set.of("*"), List.of(), false, Duration.ZERO));

    @Test
    void anAllowedPreflightGetsExactlyTheAllowHeaders() {
        CorsDecision decision = strict.decide(Method.OPTIONS, preflight(APP, "PUT", "Content-Type, X-API-Key"),
                                              "gw.example.com");

        assertThat(written(decision)).containsExactlyInAnyOrder(
                "Access-Control-Allow-Origin: " + APP,
                "Access-Control-Allow-Credentials: true",
                "Access-Control-Allow-Methods: GET, PUT",
                "Access-Control-Allow-Headers: content-type, x-api-key",
                "Access-Control-Max-Age: 600",
                "Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    }

    @Test
    void aPreflightIsRefusedNamingTheOriginMethodOrHeader() {
        assertThat(strict.decide(Method.OPTIONS, preflight("https://evil.example", "GET", null), null))
                .isEqualTo(new CorsDecision.Refused("origin", "Cross-origin request refused: origin "
                        + "\"https://evil.example\" is not allowed on route users"));
        assertThat(strict.decide(Method.OPTIONS, preflight(APP, "DELETE", null), null))
                .isEqualTo(new CorsDecision.Refused("method", "Cross-origin request refused: method DELETE is not "
                        + "allowed on route users"));
        assertThat(strict.decide(Method.OPTIONS, preflight(APP, "PUT", "content-type,x-secret"), null))
                .isEqualTo(new CorsDecision.Refused("header", "Cross-origin request refused: request header "
                        + "x-secret is not allowed on route users"));
        // an origin differing only by a trailing slash or case is a different origin to a browser, and so here
        assertThat(strict.decide(Method.OPTIONS, preflight(APP + "/", "GET", null), null))
                .isInstanceOf(CorsDecision.Refused.class);
    }

    @Test
    void aWildcardPolicyAnswersStarAndEchoesWhatWasAskedFor() {
        CorsDecision decision = open.decide(Method.OPTIONS, preflight("https://any.example", "PATCH",
                                                                      "authorization"), null);

        assertThat(written(decision)).containsExactlyInAnyOrder(
                "Access-Control-Allow-Origin: *",
                "Access-Control-Allow-Methods: PATCH",
                "Access-Control-Allow-Headers: authorization",
                "Access-Control-Max-Age: 0",
                "Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    }

    @Test
    void anAllowedRequestGetsOriginCredentialsExposeAndVary() {
        WritableHeaders<?> response = WritableHeaders.create();
        response.set(HeaderNames.VARY, "Accept-Encoding");
        response.set(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");                 // the instance's own
        response.set(HeaderNames.create("Access-Control-Allow-Private-Network"), "true");

        strict.decide(Method.GET, request(APP), "gw.example.com").writeTo(response);

        assertThat(lines(response)).containsExactlyInAnyOrder(
                "Vary: Accept-Encoding, Origin",
                "Access-Control-Allow-Origin: " + APP,
                "Access-Control-Allow-Credentials: true",
                "Access-Control-Expose-Headers: X-Request-Id");
    }

    @Test
    void aCrossOriginRequestFromAnOriginNotAllowedOrWithAMethodNotAllowedIsRefused() {
        assertThat(strict.decide(Method.GET, request("https://evil.example"), "gw.example.com"))
                .isInstanceOf(CorsDecision.Refused.class)
                .extracting(d -> ((CorsDecision.Refused) d).refused()).isEqualTo("origin");
        assertThat(strict.decide(Method.DELETE, request(APP), "gw.example.com"))
                .isEqualTo(new CorsDecision.Refused("method", "Cross-origin request refused: method DELETE is not "
                        + "allowed on route users"));
    }

    @Test
    void sameOriginAndOriginlessRequestsPassWithVaryOnlyAndLoseTheInstancesCorsHeaders() {
        assertThat(strict.decide(Method.POST, request("https://gw.example.com"), "gw.example.com"))
                .isSameAs(CorsDecision.NOT_CROSS_ORIGIN);
        assertThat(strict.decide(Method.POST, request("http://gw.example.com"), "GW.example.com:80"))
                .isSameAs(CorsDecision.NOT_CROSS_ORIGIN);
        assertThat(strict.decide(Method.GET, WritableHeaders.create(), "gw.example.com"))
                .isSameAs(CorsDecision.NOT_CROSS_ORIGIN);

        WritableHeaders<?> response = WritableHeaders.create();
        response.set(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        response.set(HeaderNames.VARY, "origin");
        CorsDecision.NOT_CROSS_ORIGIN.writeTo(response);
        assertThat(lines(response)).containsExactly("Vary: origin");
    }

    @Test
    void sameOriginComparesHostAndPortOnly() {
        assertThat(CorsPolicy.isSameOrigin("https://gw.example.com", "gw.example.com:443")).isTrue();
        assertThat(CorsPolicy.isSameOrigin("http://localhost:8080", "localhost:8080")).isTrue();
        assertThat(CorsPolicy.isSameOrigin("http://localhost:8080", "localhost:8081")).isFalse();
        assertThat(CorsPolicy.isSameOrigin("http://localhost", "localhost:8080")).isFalse();
        assertThat(CorsPolicy.isSameOrigin("https://gw.example.com.evil.example", "gw.example.com")).isFalse();
        assertThat(CorsPolicy.isSameOrigin("null", "gw.example.com")).isFalse();
        assertThat(CorsPolicy.isSameOrigin("https://gw.example.com", null)).isFalse();
    }

    @Test
    void aPreflightIsRoutedByTheMethodItAsksAbout() {
        assertThat(CorsPolicies.preflightTarget(Method.OPTIONS, preflight(APP, "PUT", null))).isEqualTo(Method.PUT);
        assertThat(CorsPolicies.preflightTarget(Method.OPTIONS, preflight(APP, "P U T", null))).isNull();
        assertThat(CorsPolicies.preflightTarget(Method.OPTIONS, request(APP))).isNull();
        assertThat(CorsPolicies.preflightTarget(Method.GET, preflight(APP, "PUT", null))).isNull();
    }

    @Test
    void theInstancesVaryWildcardIsKept() {
        WritableHeaders<?> response = WritableHeaders.create();
        response.set(HeaderNames.VARY, "*");

        CorsDecision.NOT_CROSS_ORIGIN.writeTo(response);

        assertThat(lines(response)).containsExactly("Vary: *");
    }

    private static WritableHeaders<?> preflight(String origin, String method, String requestHeaders) {
        WritableHeaders<?> headers = request(origin);
        headers.set(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD, method);
        if (requestHeaders != null) {
            headers.set(HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS, requestHeaders);
        }
        return headers;
    }

    private static WritableHeaders<?> request(String origin) {
        WritableHeaders<?> headers = WritableHeaders.create();
        headers.set(HeaderNames.ORIGIN, origin);
        return headers;
    }

    private static List<String> written(CorsDecision decision) {
        WritableHeaders<?> headers = WritableHeaders.create();
        decision.writeTo(headers);
        return lines(headers);
    }

    private static List<String> lines(WritableHeaders<?> headers) {
        return headers.stream().map(h -> h.name() + ": " + String.join(", ", h.allValues())).toList();
    }
}
