package dev.refgateway.gateway;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.gateway.config.ConfigException;
import dev.refgateway.gateway.testing.Backend;
import dev.refgateway.gateway.testing.TestGateway;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.refgateway.gateway.testing.GatewayMetricsText.metric;
import static dev.refgateway.gateway.testing.GatewayMetricsText.scrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * CORS through a real gateway in front of a real instance: preflights answered by the gateway (and never
 * authenticated), refusals as problem+json, the gateway's Access-Control-* headers replacing the instance's, and
 * routes without CORS left alone.
 */
class GatewayCorsIT {

    private static final String SERVICE = "svc-cors";
    private static final String APP = "https://app.example.com";
    private static final String API_KEY = "cors-test-key-0123456789";
    private static final HeaderName X_API_KEY = HeaderNames.create("X-API-Key");

    private static Backend backend;
    private static Gateway gateway;
    private static Http1Client client;

    @BeforeAll
    static void start() throws Exception {
        ConsulAgent agent = ConsulAgent.shared();
        backend = Backend.start(SERVICE, agent.client());
        gateway = TestGateway.start(agent.url(), """
                  security:
                    api-keys:
                      - {client-id: spa, sha256: %s}
                    jwt:
                      issuer: https://issuer.test
                      allow-hs256-for-development: true
                      hs256-secret: a-development-secret-of-32-bytes-or-more
                  cors:
                    allow-origins: [https://app.example.com]
                    allow-methods: [GET, POST, PUT]
                    allow-headers: [content-type, x-api-key, authorization]
                    expose-headers: [X-Request-Id]
                    allow-credentials: true
                    max-age: 10m
                  routes:
                    - id: keys
                      path: /echo/keys/**
                      service: %s
                      methods: [GET, PUT]
                      auth: {policy: api-key}
                    - id: tokens
                      path: /echo/tokens/**
                      service: %s
                      auth: {policy: jwt}
                    - id: public
                      path: /echo/public/**
                      service: %s
                      cors: {allow-origins: ["*"], allow-methods: ["*"]}
                    - id: own-cors
                      path: /own-cors
                      service: %s
                    - id: plain
                      path: /**
                      service: %s
                      cors: {enabled: false}
                """.formatted(sha256(API_KEY), SERVICE, SERVICE, SERVICE, SERVICE, SERVICE));
        TestGateway.awaitInstances(gateway, SERVICE, 1);
        client = TestGateway.client(gateway);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.shutdown();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void anAllowedPreflightIsAnswered204ByTheGatewayWithoutCredentialsAndNeverReachesTheInstance() {
        int before = backend.hits();
        // the route takes GET and PUT only: the preflight is routed by the method it asks about
        try (Http1ClientResponse res = preflight("/echo/keys/a", APP, "PUT", "content-type, x-api-key")) {
            assertThat(res.status().code()).isEqualTo(204);
            assertThat(header(res, HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo(APP);
            assertThat(header(res, HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS)).isEqualTo("true");
            assertThat(header(res, HeaderNames.ACCESS_CONTROL_ALLOW_METHODS)).isEqualTo("GET, POST, PUT");
            assertThat(header(res, HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS)).isEqualTo("content-type, x-api-key");
            assertThat(header(res, HeaderNames.ACCESS_CONTROL_MAX_AGE)).isEqualTo("600");
            assertThat(header(res, HeaderNames.VARY))
                    .isEqualTo("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
            assertThat(res.headers().contains(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS)).isFalse();
            assertThat(res.headers().contains(HeaderNames.create("X-Request-Id"))).isTrue();
            assertThat(res.entity().hasEntity()).isFalse();
        }
        assertThat(backend.hits()).isEqualTo(before);
        // counted like every other request (the access log has it too)
        assertThat(metric(scrape(gateway), "gateway_requests_total",
                          Map.of("route", "keys", "method", "OPTIONS", "outcome", "cors-preflight")).orElse(0))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void aPreflightOnAJwtRouteIsNotAskedForAToken() {
        try (Http1ClientResponse res = preflight("/echo/tokens/a", APP, "POST", "authorization, content-type")) {
            assertThat(res.status().code()).isEqualTo(204);
            assertThat(res.headers().contains(HeaderNames.WWW_AUTHENTICATE)).isFalse();
            assertThat(header(res, HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS)).isEqualTo("authorization, content-type");
        }
    }

    @Test
    void aPreflightFromAnotherOriginOrForAMethodOrHeaderNotAllowedIs403NamingIt() {
        int before = backend.hits();
        assertRefused(preflight("/echo/keys/a", "https://evil.example", "GET", null),
                      "origin \\\"https://evil.example\\\" is not allowed on route keys");
        assertRefused(preflight("/echo/tokens/a", APP, "DELETE", null), "method DELETE is not allowed on route tokens");
        assertRefused(preflight("/echo/keys/a", APP, "GET", "x-api-key, x-secret"),
                      "request header x-secret is not allowed on route keys");
        assertThat(backend.hits()).isEqualTo(before);
    }

    @Test
    void anAllowedCrossOriginRequestIsForwardedAndTheAnswerCarriesTheGatewaysCorsHeaders() {
        try (Http1ClientResponse res = client.get("/echo/keys/me").header(HeaderNames.ORIGIN, APP)
                .header(X_API_KEY, API_KEY).request()) {
            assertThat(res.status().code()).isEqualTo(200);
            assertThat(header(res, HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo(APP);
            assertThat(header(res, HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS)).isEqualTo("true");
            assertThat(header(res, HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS)).isEqualTo("X-Request-Id");
            assertThat(header(res, HeaderNames.VARY)).isEqualTo("Origin");
            assertThat(res.headers().contains(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS)).isFalse();
        }
        // the instance sees the Origin, as it would without the gateway
        Map<String, List<String>> seen = lastHeaders();
        assertThat(seen.get("origin")).containsExactly(APP);
    }

    @Test
    void theGatewaysOwnRefusalsCanBeReadByAnAllowedPage() {
        try (Http1ClientResponse res = client.get("/echo/keys/me").header(HeaderNames.ORIGIN, APP).request()) {
            assertThat(res.status().code()).isEqualTo(401);
            assertThat(header(res, HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo(APP);
            assertThat(res.as(String.class)).contains("/problems/unauthenticated");
        }
    }

    @Test
    void theInstancesOwnCorsHeadersAreReplacedByTheGateways() {
        try (Http1ClientResponse res = client.get("/own-cors").header(HeaderNames.ORIGIN, APP).request()) {
            assertThat(res.status().code()).isEqualTo(200);
            assertThat(res.headers().get(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN).allValues()).containsExactly(APP);
            assertThat(res.headers().get(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS).allValues())
                    .containsExactly("X-Request-Id");
            assertThat(res.headers().get(HeaderNames.VARY).allValues()).containsExactly("Accept-Encoding", "Origin");
            assertThat(res.as(String.class)).startsWith("own cors from");
        }
        // without an Origin the instance's Access-Control-* headers are dropped all the same: one owner per route
        try (Http1ClientResponse res = client.get("/own-cors").request()) {
            assertThat(res.status().code()).isEqualTo(200);
            assertThat(res.headers().contains(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isFalse();
            assertThat(res.headers().contains(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS)).isFalse();
            assertThat(res.headers().get(HeaderNames.VARY).allValues()).containsExactly("Accept-Encoding", "Origin");
        }
    }

    @Test
    void aCrossOriginRequestFromAnOriginNotAllowedIs403AndNeverReachesTheInstance() {
        int before = backend.hits();
        assertRefused(client.get("/echo/keys/me").header(HeaderNames.ORIGIN, "https://evil.example")
                              .header(X_API_KEY, API_KEY).request(),
                      "origin \\\"https://evil.example\\\" is not allowed on route keys");
        assertThat(backend.hits()).isEqualTo(before);
    }

    @Test
    void aSameOriginRequestWithAnOriginHeaderPassesWithoutCorsHeaders() {
        try (Http1ClientResponse res = client.put("/echo/keys/me")
                .header(HeaderNames.ORIGIN, "http://127.0.0.1:" + gateway.port())
                .header(X_API_KEY, API_KEY).submit("{}")) {
            assertThat(res.status().code()).isEqualTo(200);
            assertThat(res.headers().contains(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isFalse();
            assertThat(header(res, HeaderNames.VARY)).isEqualTo("Origin");   // the route's CORS did look at it
        }
    }

    @Test
    void aWildcardRouteAnswersAnyOriginWithStarAndNoCredentials() {
        try (Http1ClientResponse res = client.get("/echo/public/x").header(HeaderNames.ORIGIN, "https://any.example")
                .request()) {
            assertThat(res.status().code()).isEqualTo(200);
            assertThat(header(res, HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo("*");
            assertThat(res.headers().contains(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS)).isFalse();
        }
        try (Http1ClientResponse res = preflight("/echo/public/x", "https://any.example", "DELETE", null)) {
            assertThat(res.status().code()).isEqualTo(204);
            assertThat(header(res, HeaderNames.ACCESS_CONTROL_ALLOW_METHODS)).isEqualTo("DELETE");
        }
    }

    @Test
    void aRouteWithoutCorsGetsNoCorsHeadersAndItsPreflightsGoToTheInstance() {
        try (Http1ClientResponse res = client.get("/echo/plain").header(HeaderNames.ORIGIN, "https://evil.example")
                .request()) {
            assertThat(res.status().code()).isEqualTo(200);
            assertThat(res.headers().contains(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isFalse();
            assertThat(res.headers().contains(HeaderNames.VARY)).isFalse();
        }
        int before = backend.hits();
        try (Http1ClientResponse res = preflight("/echo/plain", APP, "PUT", null)) {
            assertThat(res.status().code()).isEqualTo(200);
            assertThat(res.headers().contains(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isFalse();
        }
        assertThat(backend.hits()).isEqualTo(before + 1);
        assertThat(backend.received().getLast().get("method")).isEqualTo("OPTIONS");
    }

    @Test
    void invalidCorsConfigurationStopsTheStartNamingKeyAndValue() {
        URI consul = ConsulAgent.shared().url();
        assertThatThrownBy(() -> TestGateway.start(consul, """
                  routes:
                    - id: spa
                      path: /**
                      service: %s
                      cors: {allow-origins: ["*"], allow-credentials: true}
                """.formatted(SERVICE)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("gateway.routes[0].cors.allow-origins: \"*\" (expected: exact origins when "
                                        + "gateway.routes[0].cors.allow-credentials is true");
        assertThatThrownBy(() -> TestGateway.start(consul, """
                  cors: {allow-origins: [https://app.example.com/]}
                  routes:
                    - {id: spa, path: /**, service: %s}
                """.formatted(SERVICE)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("gateway.cors.allow-origins[0]: \"https://app.example.com/\"");
    }

    private static Http1ClientResponse preflight(String path, String origin, String method, String headers) {
        Http1ClientRequest request = client.method(Method.OPTIONS).path(path)
                .header(HeaderNames.ORIGIN, origin)
                .header(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD, method);
        if (headers != null) {
            request.header(HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS, headers);
        }
        return request.request();
    }

    private static void assertRefused(Http1ClientResponse response, String detail) {
        try (Http1ClientResponse res = response) {
            assertThat(res.status().code()).isEqualTo(403);
            assertThat(res.headers().contentType().orElseThrow().text()).isEqualTo("application/problem+json");
            assertThat(res.headers().contains(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isFalse();
            assertThat(res.as(String.class))
                    .contains("\"type\":\"https://refgateway.dev/problems/cors-refused\"")
                    .contains("\"status\":403")
                    .contains(detail);
        }
    }

    private static String header(Http1ClientResponse res, HeaderName name) {
        return res.headers().get(name).get();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> lastHeaders() {
        return (Map<String, List<String>>) backend.received().getLast().get("headers");
    }

    private static String sha256(String key) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }
}
