package dev.refgateway.gateway.security;

import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.refgateway.gateway.config.ConfigException;
import dev.refgateway.gateway.routing.AuthPolicy;
import dev.refgateway.gateway.routing.RouteAuth;
import dev.refgateway.gateway.settings.GatewaySettings;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static dev.refgateway.gateway.security.SecuritySettingsTest.HASH;
import static dev.refgateway.gateway.security.SecuritySettingsTest.OTHER_HASH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Invalid security configuration stops the start, naming the key and the value — unless the value is a secret. */
class SecuritySettingsValidationTest {

    private static final String ROUTE = """
            - id: users
              path: /users/**
              service: user-service
            """;
    private static final String ONE_KEY = """
            api-keys:
              - {client-id: demo-client, sha256: %s}
            """.formatted(HASH);
    private static final String STATIC_JWT = """
            jwt:
              issuer: https://id.example.com
              jwks-url: https://id.example.com/jwks.json
            """;

    @Test
    void unknownRoutePolicyIsNamed() {
        assertRejected(ONE_KEY, ROUTE + "  auth: {policy: oauth}",
                       "gateway.routes[0].auth.policy: \"oauth\" (expected: one of public, api-key, jwt, any-of)");
    }

    @Test
    void unknownDefaultPolicyIsNamed() {
        assertRejected("default-policy: private", ROUTE,
                       "gateway.security.default-policy: \"private\" (expected: one of public, api-key, jwt, any-of)");
    }

    @Test
    void scopesOnAPublicRouteAreRejected() {
        assertRejected(ONE_KEY, ROUTE + "  auth: {scopes: [users:read]}",
                       "gateway.routes[0].auth.scopes: (a list) (expected: no scopes on a public route; set "
                               + "gateway.routes[0].auth.policy or gateway.security.default-policy)");
        assertRejected(ONE_KEY, ROUTE + "  auth: {policy: public, scopes: {GET: [users:read]}}",
                       "gateway.routes[0].auth.scopes: (a map) (expected: no scopes on a public route; set "
                               + "gateway.routes[0].auth.policy)");
    }

    @Test
    void policyWithoutItsCredentialsIsRejected() {
        assertRejected("", ROUTE + "  auth: {policy: jwt}",
                       "gateway.routes[0].auth.policy: \"jwt\" (expected: a policy whose credentials are configured; "
                               + "gateway.security.jwt is not set)");
        assertRejected(STATIC_JWT, ROUTE + "  auth: {policy: api-key}",
                       "gateway.routes[0].auth.policy: \"api-key\" (expected: a policy whose credentials are "
                               + "configured; gateway.security.api-keys is empty)");
        assertRejected("", ROUTE + "  auth: {policy: any-of}",
                       "gateway.routes[0].auth.policy: \"any-of\" (expected: a policy whose credentials are "
                               + "configured; gateway.security has neither api-keys nor jwt)");
        assertRejected("default-policy: jwt", ROUTE,
                       "gateway.security.default-policy: \"jwt\" (expected: a policy whose credentials are "
                               + "configured; gateway.security.jwt is not set)");
    }

    @Test
    void badRouteScopesAreNamed() {
        assertRejected(ONE_KEY, ROUTE + "  auth: {policy: api-key, scopes: {FETCH: [a]}}",
                       "gateway.routes[0].auth.scopes.FETCH: unknown key (expected: a method such as GET, or \"*\" "
                               + "for every other method)");
        assertRejected(ONE_KEY, ROUTE + "  auth: {policy: api-key, scopes: {GET: [\"users read\"]}}",
                       "gateway.routes[0].auth.scopes.GET[0]: \"users read\" (expected: a scope: visible ASCII "
                               + "without spaces, quotes or backslashes, at most 128)");
        assertRejected(ONE_KEY, ROUTE + "  methods: [GET]\n  auth: {policy: api-key, scopes: {POST: [a]}}",
                       "gateway.routes[0].auth.scopes.POST: a method the route does not take (expected: one of GET, "
                               + "or \"*\")");
        // Helidon does not keep the order of map keys: either spelling may be the one blamed.
        assertThat(rejection(ONE_KEY, ROUTE + "  auth: {policy: api-key, scopes: {get: [a], GET: [b]}}"))
                .hasMessageMatching("gateway\\.routes\\[0]\\.auth\\.scopes\\.(get|GET): GET listed twice "
                                            + "\\(expected: each method once\\)");
        assertRejected(ONE_KEY, ROUTE + "  auth: {policy: api-key, scope: [a]}",
                       "gateway.routes[0].auth.scope: unknown key (expected: one of policy, scopes; did you mean "
                               + "'scopes'?)");
    }

    @Test
    void apiKeyHashThatIsNotAHashIsRejectedWithoutShowingIt() {
        String pastedKey = "my-plaintext-api-key";
        Throwable thrown = rejection("""
                api-keys:
                  - {client-id: demo-client, sha256: %s}
                """.formatted(pastedKey), ROUTE);

        assertThat(thrown).hasMessage("gateway.security.api-keys[0].sha256: (redacted, 20 characters) (expected: 64 "
                                              + "hex digits, the SHA-256 of the key, never the key itself)");
        assertThat(thrown.getMessage()).doesNotContain(pastedKey);
    }

    @Test
    void apiKeyEntriesAreChecked() {
        assertRejected("""
                api-keys:
                  - {sha256: %s}
                """.formatted(HASH), ROUTE, "gateway.security.api-keys[0].client-id: missing (expected: a client id)");
        assertRejected("""
                api-keys:
                  - {client-id: demo client, sha256: %s}
                """.formatted(HASH), ROUTE, "gateway.security.api-keys[0].client-id: \"demo client\" (expected: "
                                            + "letters, digits, '.', '_', '-', ':' or '@', at most 128)");
        assertRejected("""
                api-keys:
                  - {client-id: demo-client}
                """, ROUTE, "gateway.security.api-keys[0].sha256: missing (expected: the SHA-256 of the key in hex: "
                            + "printf %s \"$KEY\" | sha256sum)");
        assertRejected("""
                api-keys:
                  - {client-id: a, sha256: %s}
                  - {client-id: b, sha256: %s}
                """.formatted(HASH, HASH.toUpperCase()), ROUTE,
                       "gateway.security.api-keys[1].sha256: (redacted) (expected: a hash of its own; "
                               + "gateway.security.api-keys[0].sha256 has it already)");
        assertRejected("""
                api-keys:
                  - {client-id: a, sha256: %s, scopes: ["a\\\\b"]}
                """.formatted(OTHER_HASH), ROUTE,
                       "gateway.security.api-keys[0].scopes[0]: \"a\\b\" (expected: a scope: visible ASCII without "
                               + "spaces, quotes or backslashes, at most 128)");
        assertRejected("""
                api-keys:
                  - {client-id: a, key: %s}
                """.formatted(HASH), ROUTE, "gateway.security.api-keys[0].key: unknown key (expected: one of "
                                            + "client-id, scopes, sha256)");
    }

    @Test
    void jwtNeedsAnIssuerAndExactlyOneKeySource() {
        assertRejected("""
                jwt:
                  jwks-url: https://id.example.com/jwks.json
                """, ROUTE, "gateway.security.jwt.issuer: missing (expected: the issuer (iss) that tokens must carry, "
                            + "such as https://id.example.com)");
        assertRejected("""
                jwt:
                  issuer: https://id.example.com
                """, ROUTE, "gateway.security.jwt: no key source (expected: exactly one of jwks-url, public-key or "
                            + "hs256-secret)");
        assertRejected("""
                jwt:
                  issuer: https://id.example.com
                  jwks-url: https://id.example.com/jwks.json
                  public-key: "{}"
                """, ROUTE, "gateway.security.jwt: both [jwks-url, public-key] (expected: exactly one of jwks-url, "
                            + "public-key or hs256-secret)");
    }

    @Test
    void hs256NeedsTheExplicitDevelopmentFlagAndALongSecretNeverShown() {
        String secret = "too-short-secret";
        Throwable withoutFlag = rejection("""
                jwt:
                  issuer: https://id.example.com
                  hs256-secret: a-development-secret-of-32-bytes!
                """, ROUTE);
        Throwable tooShort = rejection("""
                jwt:
                  issuer: https://id.example.com
                  allow-hs256-for-development: true
                  hs256-secret: %s
                """.formatted(secret), ROUTE);

        assertThat(withoutFlag).hasMessage("gateway.security.jwt.hs256-secret: (redacted) (expected: only together "
                                                   + "with allow-hs256-for-development: true; HS256 is for local "
                                                   + "development)");
        assertThat(withoutFlag.getMessage()).doesNotContain("a-development-secret");
        assertThat(tooShort).hasMessage("gateway.security.jwt.hs256-secret: (redacted, 16 bytes) (expected: at least "
                                                + "32 bytes)");
        assertRejected("""
                jwt:
                  issuer: https://id.example.com
                  jwks-url: https://id.example.com/jwks.json
                  allow-hs256-for-development: true
                """, ROUTE, "gateway.security.jwt.allow-hs256-for-development: true (expected: false unless "
                            + "hs256-secret is set)");
    }

    @Test
    void onlyAsymmetricAlgorithmsCanBeConfigured() {
        assertRejected("""
                jwt:
                  issuer: https://id.example.com
                  jwks-url: https://id.example.com/jwks.json
                  algorithms: [RS256, HS256]
                """, ROUTE, "gateway.security.jwt.algorithms[1]: \"HS256\" (expected: one of RS256, RS384, RS512, "
                            + "PS256, PS384, PS512, ES256, ES384, ES512; HS256 only through "
                            + "allow-hs256-for-development)");
        assertRejected("""
                jwt:
                  issuer: https://id.example.com
                  jwks-url: https://id.example.com/jwks.json
                  algorithms: [none]
                """, ROUTE, "gateway.security.jwt.algorithms[0]: \"none\" (expected: one of RS256, RS384, RS512, "
                            + "PS256, PS384, PS512, ES256, ES384, ES512)");
    }

    @Test
    void jwksOptionsAreChecked() {
        assertRejected(jwks("jwks-url: ftp://id.example.com/jwks.json"), ROUTE,
                       "gateway.security.jwt.jwks-url: \"ftp://id.example.com/jwks.json\" (expected: an http or https "
                               + "URL of a JWK set)");
        assertRejected(jwks("jwks-url: https://id.example.com/jwks.json\njwks-timeout: 30s"), ROUTE,
                       "gateway.security.jwt.jwks-timeout: \"30s\" (expected: <= 10s)");
        assertRejected(jwks("jwks-url: https://id.example.com/jwks.json\njwks-cache-ttl: 30s"), ROUTE,
                       "gateway.security.jwt.jwks-cache-ttl: \"30s\" (expected: >= 60s)");
        assertRejected(jwks("jwks-url: https://id.example.com/jwks.json\njwks-cache-ttl: 2m\n"
                                    + "jwks-min-refresh-interval: 2m"), ROUTE,
                       "gateway.security.jwt.jwks-min-refresh-interval: \"2m\" (expected: < jwks-cache-ttl 120s)");
        assertRejected(jwks("public-key: \"{}\"\njwks-timeout: 1s"), ROUTE,
                       "gateway.security.jwt.jwks-timeout: set without jwks-url (expected: only together with "
                               + "jwks-url)");
        assertRejected(jwks("jwks-url: https://id.example.com/jwks.json\nclock-skew: 10m"), ROUTE,
                       "gateway.security.jwt.clock-skew: \"10m\" (expected: <= 300s)");
        assertRejected(jwks("jwks-url: https://id.example.com/jwks.json\njwks-url2: x"), ROUTE,
                       "gateway.security.jwt.jwks-url2: unknown key (expected: one of algorithms, "
                               + "allow-hs256-for-development, audiences, clock-skew, hs256-secret, issuer, "
                               + "jwks-cache-ttl, jwks-min-refresh-interval, jwks-timeout, jwks-url, public-key; did "
                               + "you mean 'jwks-url'?)");
    }

    @Test
    void badStaticKeysAreRejectedWithoutRepeatingThem() throws Exception {
        KeyPair weak = SecuritySettingsTest.keyPair("RSA", 1024);
        String privatePem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(weak.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----";
        KeyPair ec = SecuritySettingsTest.ecKeyPair();

        assertRejected(jwks("public-key: not a key"), ROUTE, "gateway.security.jwt.public-key: (unrecognised text) "
                + "(expected: a PEM PUBLIC KEY or CERTIFICATE, or a JWK as JSON)");
        Throwable privateKey = rejection(jwks("public-key: |\n" + privatePem.indent(2)), ROUTE);
        assertThat(privateKey).hasMessage("gateway.security.jwt.public-key: (a private key) (expected: the public key; "
                                                  + "never put a private key in the gateway's configuration)");
        assertThat(privateKey.getMessage()).doesNotContain(privatePem.substring(30, 60));
        assertRejected(jwks("public-key: |\n" + SecuritySettingsTest.pem(weak.getPublic().getEncoded()).indent(2)),
                       ROUTE, "gateway.security.jwt.public-key: (an RSA key of 1024 bits) (expected: at least 2048 "
                              + "bits)");
        assertRejected(jwks("algorithms: [RS256]\npublic-key: |\n"
                                    + SecuritySettingsTest.pem(ec.getPublic().getEncoded()).indent(2)),
                       ROUTE, "gateway.security.jwt.public-key: a key for ES256 (expected: a key for one of algorithms "
                              + "[RS256])");
        assertRejected(jwks("public-key: '{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}'"), ROUTE,
                       "gateway.security.jwt.public-key: (a private JWK) (expected: the public key; never put a "
                               + "private key in the gateway's configuration)");
        assertRejected(jwks("public-key: '{\"keys\":[]}'"), ROUTE,
                       "gateway.security.jwt.public-key: (not a valid JWK) (expected: a single JWK as JSON, such as "
                               + "{\"kty\":\"RSA\",\"n\":...,\"e\":\"AQAB\"}; a JWK set belongs at a jwks-url)");
    }

    @Test
    void realmMustFitInAQuotedString() {
        assertRejected("realm: say \"hi\"", ROUTE,
                       "gateway.security.realm: \"say \"hi\"\" (expected: visible ASCII without quotes or "
                               + "backslashes)");
    }

    @Test
    void unknownSecurityKeyIsRejected() {
        assertRejected("api-key: []", ROUTE, "gateway.security.api-key: unknown key (expected: one of api-keys, "
                + "default-policy, failed-auth-limit, jwt, realm; did you mean 'api-keys'?)");
    }

    @Test
    void recordsBuiltInCodeAreCheckedToo() {
        assertThatThrownBy(() -> new ApiKey("demo-client", "my-plaintext-key", Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sha256: (redacted) (expected: 64 hex digits, the SHA-256 of the key, never the key "
                                    + "itself)");
        assertThatThrownBy(() -> new JwtSettings.DevelopmentSecret("short"))
                .hasMessage("secret: (redacted, 5 bytes) (expected: at least 32 bytes)");
        assertThatThrownBy(() -> new SecuritySettings(AuthPolicy.JWT, "r", List.of(), Optional.empty()))
                .hasMessage("defaultPolicy: jwt (expected: a policy whose credentials are configured; "
                                    + "gateway.security.jwt is not set)");
        assertThatThrownBy(() -> new RouteAuth(AuthPolicy.PUBLIC, Map.of(), List.of("a")))
                .hasMessage("scopes: {} [a] (expected: none on a public route)");
    }

    private static String jwks(String keys) {
        return "jwt:\n  issuer: https://id.example.com\n" + keys.indent(2);
    }

    private static void assertRejected(String security, String routes, String message) {
        assertThat(rejection(security, routes)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    private static Throwable rejection(String security, String routes) {
        String yaml = "gateway:\n"
                + (security.isBlank() ? "" : "  security:\n" + security.indent(4))
                + "  routes:\n" + routes.indent(4);
        Config config = Config.just(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML));
        try {
            GatewaySettings.create(config.get("gateway"));
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("accepted:\n" + yaml);
    }
}
