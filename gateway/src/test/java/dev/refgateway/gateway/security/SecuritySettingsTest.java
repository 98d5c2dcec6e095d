package dev.refgateway.gateway.security;

import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.routing.AuthPolicy;
import dev.refgateway.gateway.routing.RouteAuth;
import dev.refgateway.gateway.settings.GatewaySettings;
import dev.refgateway.gateway.settings.GatewaySettingsTest;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.Method;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.Test;

import static dev.refgateway.gateway.settings.GatewaySettingsTest.settings;
import static org.assertj.core.api.Assertions.assertThat;

class SecuritySettingsTest {

    static final String HASH = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";
    static final String OTHER_HASH = "A665A45920422F9D417E4867EFDC4FB8A04A1F3FFF1FA07E998E86F7F7A27AE3";

    @Test
    void documentedDefaults() {
        SecuritySettings defaults = SecuritySettings.defaults();

        assertThat(defaults.defaultPolicy()).isEqualTo(AuthPolicy.PUBLIC);
        assertThat(defaults.realm()).isEqualTo("refgateway");
        assertThat(defaults.apiKeys()).isEmpty();
        assertThat(defaults.jwt()).isEmpty();
        assertThat(JwtSettings.CLOCK_SKEW.defaultValue()).isEqualTo(Duration.ofSeconds(30));
        assertThat(new LinkedHashSet<>(JwtSettings.ALGORITHMS.defaultValue())).containsExactly("RS256", "ES256");
        assertThat(JwtSettings.Jwks.of(URI.create("https://id.test/jwks")))
                .isEqualTo(new JwtSettings.Jwks(URI.create("https://id.test/jwks"), Duration.ofSeconds(2),
                                                Duration.ofMinutes(5), Duration.ofSeconds(30)));
    }

    @Test
    void everySecurityOptionIsRead() {
        GatewaySettings settings = settings("""
                gateway:
                  security:
                    default-policy: any-of
                    realm: orders API
                    api-keys:
                      - client-id: demo-client
                        sha256: %s
                        scopes: [users:read, orders:write]
                      - client-id: batch@jobs
                        sha256: %s
                    jwt:
                      issuer: https://id.example.com
                      audiences: [refgateway, api]
                      algorithms: [es256, PS256]
                      clock-skew: 10s
                      jwks-url: https://id.example.com/.well-known/jwks.json
                      jwks-timeout: 500ms
                      jwks-cache-ttl: 10m
                      jwks-min-refresh-interval: 1m
                  routes:
                    - id: users
                      path: /users/**
                      service: user-service
                """.formatted(HASH, OTHER_HASH));

        SecuritySettings security = settings.security();
        assertThat(security.defaultPolicy()).isEqualTo(AuthPolicy.ANY_OF);
        assertThat(security.realm()).isEqualTo("orders API");
        assertThat(security.apiKeys()).containsExactly(
                new ApiKey("demo-client", HASH, Set.of("users:read", "orders:write")),
                new ApiKey("batch@jobs", OTHER_HASH.toLowerCase(), Set.of()));
        assertThat(security.apiKeys().get(0).scopes()).containsExactly("users:read", "orders:write");
        assertThat(security.jwt()).contains(new JwtSettings(
                "https://id.example.com", Set.of("refgateway", "api"),
                new JwtSettings.Jwks(URI.create("https://id.example.com/.well-known/jwks.json"),
                                     Duration.ofMillis(500), Duration.ofMinutes(10), Duration.ofMinutes(1)),
                Set.of("ES256", "PS256"), Duration.ofSeconds(10)));
        assertThat(settings.routes().route("users").orElseThrow().auth())
                .as("a route without auth takes the default policy").isEqualTo(RouteAuth.of(AuthPolicy.ANY_OF));
    }

    @Test
    void routeAuthReadsPolicyAndPerMethodScopes() {
        GatewaySettings settings = settings("""
                gateway:
                  security:
                    api-keys:
                      - {client-id: demo-client, sha256: %s}
                  routes:
                    - id: users
                      path: /users/**
                      service: user-service
                      auth:
                        policy: api-key
                        scopes:
                          get: [users:read]
                          DELETE: [users:admin, users:write]
                          "*": [users:write]
                    - id: orders
                      path: /orders/**
                      service: order-service
                      auth:
                        policy: API-KEY
                        scopes: [orders:read]
                    - id: health
                      path: /health
                      service: user-service
                """.formatted(HASH));

        RouteAuth users = settings.routes().route("users").orElseThrow().auth();
        assertThat(users).isEqualTo(new RouteAuth(AuthPolicy.API_KEY,
                                                  Map.of(Method.GET, List.of("users:read"),
                                                         Method.DELETE, List.of("users:admin", "users:write")),
                                                  List.of("users:write")));
        assertThat(users.requiredScopes(Method.GET)).containsExactly("users:read");
        assertThat(users.requiredScopes(Method.HEAD)).containsExactly("users:read");
        assertThat(users.requiredScopes(Method.POST)).containsExactly("users:write");
        RouteAuth orders = settings.routes().route("orders").orElseThrow().auth();
        assertThat(orders.requiredScopes(Method.GET)).containsExactly("orders:read");
        assertThat(orders.requiredScopes(Method.PATCH)).containsExactly("orders:read");
        assertThat(settings.routes().route("health").orElseThrow().auth()).isEqualTo(RouteAuth.publicAccess());
    }

    @Test
    void routeScopesCanBeSetTheWayAnEnvironmentVariableWould() {
        Config config = Config.just(
                ConfigSources.create(Map.of("gateway.routes.0.auth.scopes", "users:read,users:write")),
                ConfigSources.create("""
                        gateway:
                          security:
                            api-keys:
                              - {client-id: demo-client, sha256: %s}
                          routes:
                            - id: users
                              path: /users/**
                              service: user-service
                              auth:
                                policy: api-key
                        """.formatted(HASH), io.helidon.common.media.type.MediaTypes.APPLICATION_X_YAML));

        RouteAuth auth = GatewaySettings.create(config.get("gateway")).routes().route("users").orElseThrow().auth();

        assertThat(auth.requiredScopes(Method.PUT)).containsExactly("users:read", "users:write");
    }

    @Test
    void staticPublicKeyIsReadFromPemOrJwk() throws Exception {
        RSAPublicKey rsa = (RSAPublicKey) keyPair("RSA", 2048).getPublic();
        ECPublicKey ec = (ECPublicKey) ecKeyPair().getPublic();
        String ecJwk = new ECKey.Builder(Curve.P_256, ec).keyID("ec-1").build().toJSONString();

        JwtSettings fromPem = jwtWith("public-key: |\n" + pem(rsa.getEncoded()).indent(2));
        JwtSettings fromJwk = jwtWith("public-key: '" + ecJwk + "'");

        assertThat(fromPem.keys()).isEqualTo(JwtSettings.StaticKey.of(new RSAKey.Builder(rsa).build()));
        assertThat(((JwtSettings.StaticKey) fromPem.keys()).algorithm()).isEqualTo("RS256");
        assertThat(fromPem.acceptedAlgorithms()).containsExactly("RS256");
        JwtSettings.StaticKey ecKey = (JwtSettings.StaticKey) fromJwk.keys();
        assertThat(ecKey.publicKey().getKeyType()).isEqualTo(KeyType.EC);
        assertThat(ecKey.publicKey().getKeyID()).isEqualTo("ec-1");
        assertThat(ecKey.algorithm()).isEqualTo("ES256");
        assertThat(ecKey.toString()).isEqualTo("StaticKey[EC 256 bits, kid=ec-1, algorithm=ES256]");
    }

    @Test
    void developmentSecretIsReadOnlyWhenExplicitlyAllowed() {
        JwtSettings jwt = jwtWith("""
                allow-hs256-for-development: true
                hs256-secret: a-development-secret-of-32-bytes!
                """);

        assertThat(jwt.keys()).isEqualTo(new JwtSettings.DevelopmentSecret("a-development-secret-of-32-bytes!"));
        assertThat(jwt.acceptedAlgorithms()).containsExactly("HS256");
        assertThat(jwt.keys().toString()).isEqualTo("DevelopmentSecret[(redacted)]");
    }

    @Test
    void securitySettingsReadFromTheirOwnNode() {
        Config config = GatewaySettingsTest.yamlConfig("""
                security:
                  default-policy: api-key
                  api-keys:
                    - {client-id: demo-client, sha256: %s, scopes: users:read}
                """.formatted(HASH));

        SecuritySettings security = SecuritySettings.read(ConfigNode.of(config.get("security")));

        assertThat(security.defaultPolicy()).isEqualTo(AuthPolicy.API_KEY);
        assertThat(security.apiKeys()).extracting(ApiKey::scopes).containsExactly(Set.of("users:read"));
        assertThat(SecuritySettings.read(ConfigNode.of(config.get("nothing-here")))).isEqualTo(SecuritySettings.defaults());
    }

    @Test
    void apiKeyToStringNamesTheClientButNotTheHash() {
        ApiKey key = new ApiKey("demo-client", HASH, Set.of("users:read"));

        assertThat(key.toString()).isEqualTo("ApiKey[clientId=demo-client, scopes=[users:read], sha256=(redacted)]");
    }

    static JwtSettings jwtWith(String keysYaml) {
        return settings("""
                gateway:
                  security:
                    jwt:
                      issuer: https://id.example.com
                %s
                  routes:
                    - {id: users, path: /users/**, service: user-service}
                """.formatted(keysYaml.indent(6).stripTrailing())).security().jwt().orElseThrow();
    }

    static String pem(byte[] der) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
    }

    static KeyPair keyPair(String algorithm, int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    static KeyPair ecKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
