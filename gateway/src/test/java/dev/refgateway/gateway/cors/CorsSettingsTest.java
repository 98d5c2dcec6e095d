package dev.refgateway.gateway.cors;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.refgateway.gateway.config.ConfigException;
import dev.refgateway.gateway.ratelimit.RateLimit;
import dev.refgateway.gateway.settings.GatewaySettings;
import dev.refgateway.gateway.settings.GatewaySettingsTest;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code gateway.cors} and the routes' {@code cors}: off by default, inheritance, and every rejected value. */
class CorsSettingsTest {

    @Test
    void noRouteHasCorsUnlessConfigured() {
        assertThat(cors(route("users", ""))).isEqualTo(CorsSettings.none());

        Config shipped = Config.just(ConfigSources.classpath("application.yaml"));
        assertThat(GatewaySettings.create(shipped.get("gateway")).cors().routes()).isEmpty();
    }

    @Test
    void aRouteNeedsOnlyItsOriginsAndGetsTheDefaultsForTheRest() {
        CorsSettings settings = cors(route("users", "cors: {allow-origins: [https://app.example.com]}"));

        assertThat(settings.routes()).containsExactly(Map.entry("users", new CorsRules(
                Set.of("https://app.example.com"), Set.of("GET", "HEAD", "POST"), Set.of("*"), List.of(), false,
                Duration.ofHours(1))));
    }

    @Test
    void everyKeyIsReadAndNormalizedTheWayBrowsersWriteThem() {
        CorsSettings settings = cors(route("users", """
                cors:
                        allow-origins: [HTTPS://App.Example.com:443, "http://localhost:3000"]
                        allow-methods: [get, put]
                        allow-headers: [Content-Type, X-Api-Key]
                        expose-headers: [X-Request-Id, RateLimit-Remaining]
                        allow-credentials: true
                        max-age: 10m"""));

        assertThat(settings.rulesOf("users")).contains(new CorsRules(
                Set.of("https://app.example.com", "http://localhost:3000"), Set.of("GET", "PUT"),
                Set.of("content-type", "x-api-key"), List.of("X-Request-Id", "RateLimit-Remaining"), true,
                Duration.ofMinutes(10)));
    }

    @Test
    void theDefaultAppliesToRoutesWithoutTheirOwnAndARouteReplacesItWholeOrTurnsItOff() {
        CorsSettings settings = cors("""
                  cors:
                    allow-origins: [https://app.example.com]
                    allow-methods: [GET, PUT]
                """ + route("users", "") + route("orders", "cors: {allow-origins: [\"*\"]}")
                + route("hooks", "cors: {enabled: false}"));

        CorsRules fallback = settings.defaultRules().orElseThrow();
        assertThat(fallback.allowMethods()).containsExactlyInAnyOrder("GET", "PUT");
        assertThat(settings.rulesOf("users")).contains(fallback);
        // replaced as a whole: the default's PUT is not inherited
        assertThat(settings.rulesOf("orders").orElseThrow().allowMethods()).containsExactlyInAnyOrder("GET", "HEAD",
                                                                                                        "POST");
        assertThat(settings.rulesOf("hooks")).isEmpty();
    }

    @Test
    void aDisabledDefaultIsNoDefault() {
        CorsSettings settings = cors("""
                  cors: {enabled: false, allow-origins: [https://app.example.com]}
                """ + route("users", ""));

        assertThat(settings.defaultRules()).isEmpty();
        assertThat(settings.routes()).isEmpty();
    }

    @Test
    void aWildcardOriginWithCredentialsStopsTheStartNamingKeyAndValue() {
        assertRejected(route("users", "cors: {allow-origins: [\"*\"], allow-credentials: true}"),
                       "gateway.routes[0].cors.allow-origins: \"*\" (expected: exact origins when "
                               + "gateway.routes[0].cors.allow-credentials is true;");
        assertRejected("""
                  cors: {allow-origins: "*", allow-credentials: true}
                """ + route("users", ""),
                       "gateway.cors.allow-origins: \"*\" (expected: exact origins when gateway.cors.allow-credentials");
    }

    @Test
    void exposingEveryHeaderWithCredentialsIsRejected() {
        assertRejected(route("users", "cors: {allow-origins: [https://a.example], allow-credentials: true, "
                               + "expose-headers: [\"*\"]}"),
                       "gateway.routes[0].cors.expose-headers: \"*\" (expected: header names when");
    }

    @Test
    void originsMustBeExactSerializedOrigins() {
        assertRejected(route("users", "cors: {allow-origins: [https://app.example.com/]}"),
                       "gateway.routes[0].cors.allow-origins[0]: \"https://app.example.com/\" (expected: an origin "
                               + "such as https://app.example.com (scheme://host[:port], no path), or \"*\"; no "
                               + "trailing slash)");
        assertRejected(route("users", "cors: {allow-origins: [https://a.example, \"https://*.example.com\"]}"),
                       "gateway.routes[0].cors.allow-origins[1]: \"https://*.example.com\" (expected: an origin");
        assertRejected(route("users", "cors: {allow-origins: [app.example.com]}"),
                       "gateway.routes[0].cors.allow-origins[0]: \"app.example.com\" (expected: an origin");
        assertRejected(route("users", "cors: {allow-origins: [\"null\"]}"),
                       "\"null\" is what sandboxed frames and file:// pages send");
        assertRejected(route("users", "cors: {allow-origins: [\"https://a.example:99999\"]}"),
                       "gateway.routes[0].cors.allow-origins[0]: \"https://a.example:99999\"");
        assertRejected(route("users", "cors: {allow-origins: [\"*\", https://a.example]}"),
                       "gateway.routes[0].cors.allow-origins: [*, https://a.example] (expected: \"*\" alone");
        assertRejected(route("users", "cors: {allow-credentials: true}"),
                       "gateway.routes[0].cors.allow-origins: missing (expected: a list of origins");
    }

    @Test
    void methodsHeadersDurationsAndUnknownKeysAreChecked() {
        assertRejected(route("users", "cors: {allow-origins: [https://a.example], allow-methods: [GET, FETCH]}"),
                       "gateway.routes[0].cors.allow-methods[1]: \"FETCH\" (expected: one of GET, HEAD, POST");
        assertRejected(route("users", "cors: {allow-origins: [https://a.example], allow-headers: [\"x y\"]}"),
                       "gateway.routes[0].cors.allow-headers[0]: \"x y\" (expected: a header name, or \"*\")");
        assertRejected(route("users", "cors: {allow-origins: [https://a.example], max-age: 3600}"),
                       "gateway.routes[0].cors.max-age: \"3600\" (expected: a duration");
        assertRejected(route("users", "cors: {allow-origins: [https://a.example], allow-origin: [https://b]}"),
                       "gateway.routes[0].cors.allow-origin: unknown key (expected: one of allow-credentials, "
                               + "allow-headers, allow-methods, allow-origins, enabled, expose-headers, max-age; did "
                               + "you mean 'allow-origins'?)");
        assertRejected(route("users", "cors: {allow-origins: [https://a.example], allow-credentials: maybe}"),
                       "gateway.routes[0].cors.allow-credentials: \"maybe\" (expected: true or false)");
    }

    @Test
    void rulesBuiltInCodeAreCheckedToo() {
        assertThatThrownBy(() -> CorsRules.allowing("https://a.example/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowOrigins");
        assertThatThrownBy(() -> new CorsRules(Set.of("*"), Set.of("GET"), Set.of(), List.of(), true,
                                               Duration.ZERO))
                .hasMessageStartingWith("allowOrigins: \"*\" (expected: exact origins");
        assertThat(CorsRules.normalizeOrigin("http://[::1]:8080")).isEqualTo("http://[::1]:8080");
        assertThat(CorsRules.normalizeOrigin("http://LOCALHOST:80")).isEqualTo("http://localhost");
        assertThat(CorsRules.normalizeOrigin("https://user@a.example")).isNull();
    }

    private static String route(String id, String extra) {
        return """
                    - id: %s
                      path: /%s/**
                      service: svc
                      %s
                """.formatted(id, id, extra);
    }

    private static CorsSettings cors(String gatewayBody) {
        String body = gatewayBody.contains("routes:") ? gatewayBody : withRoutes(gatewayBody);
        return GatewaySettingsTest.settings("gateway:\n" + body).cors();
    }

    private static void assertRejected(String gatewayBody, String message) {
        String body = gatewayBody.contains("routes:") ? gatewayBody : withRoutes(gatewayBody);
        assertThatThrownBy(() -> GatewaySettingsTest.settings("gateway:\n" + body))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }

    // The routes list header goes before the first route entry.
    private static String withRoutes(String body) {
        int first = body.indexOf("    - id:");
        return body.substring(0, first) + "  routes:\n" + body.substring(first);
    }
}
