package dev.refgateway.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.gateway.testing.Backend;
import dev.refgateway.gateway.testing.TestGateway;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authentication and authorization through a real gateway in front of a real instance: refused requests never
 * reach the instance, and the instance sees the identity the gateway established — never one a client claimed.
 */
class GatewaySecurityIT {

    private static final String SERVICE = "svc-security";
    private static final String API_KEY = "demo-key-0123456789";
    private static final String ISSUER = "https://issuer.test";

    private static Backend backend;
    private static Gateway gateway;
    private static Http1Client client;
    private static RSAKey signingKey;

    @BeforeAll
    static void start() throws Exception {
        ConsulAgent agent = ConsulAgent.shared();
        backend = Backend.start(SERVICE, agent.client());
        signingKey = new RSAKeyGenerator(2048).keyID("test-key").generate();
        String publicJwk = signingKey.toPublicJWK().toJSONString();
        gateway = TestGateway.start(agent.url(), """
                  security:
                    api-keys:
                      - client-id: demo-client
                        sha256: %s
                        scopes: [echo:read]
                    jwt:
                      issuer: %s
                      audiences: [refgateway]
                      public-key: '%s'
                  routes:
                    - id: keys
                      path: /echo/keys/**
                      service: %s
                      auth:
                        policy: api-key
                        scopes:
                          GET: [echo:read]
                          "*": [echo:write]
                    - id: tokens
                      path: /echo/tokens/**
                      service: %s
                      auth:
                        policy: jwt
                        scopes: [orders:write]
                    - id: open
                      path: /**
                      service: %s
                """.formatted(sha256(API_KEY), ISSUER, publicJwk, SERVICE, SERVICE, SERVICE));
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
    void aProtectedRouteWithoutCredentialsIs401WithAChallengeAndNeverReachesTheInstance() {
        int before = backend.hits();
        try (Http1ClientResponse res = client.get("/echo/keys/a").request()) {
            assertThat(res.status().code()).isEqualTo(401);
            assertThat(res.headers().first(HeaderNames.WWW_AUTHENTICATE).orElseThrow()).startsWith("Bearer");
            assertThat(res.headers().contentType().orElseThrow().text()).isEqualTo("application/problem+json");
            assertThat(res.as(String.class)).contains("/problems/unauthenticated");
        }
        assertThat(backend.hits()).isEqualTo(before);
    }

    @Test
    void aWrongApiKeyIs401AndIsNotEchoed() {
        try (Http1ClientResponse res = client.get("/echo/keys/a")
                .header(HeaderNames.create("X-API-Key"), "not-the-key-42").request()) {
            assertThat(res.status().code()).isEqualTo(401);
            assertThat(res.as(String.class)).doesNotContain("not-the-key-42");
        }
    }

    @Test
    void aValidKeyWithoutTheMethodsScopeIs403() {
        int before = backend.hits();
        try (Http1ClientResponse res = client.post("/echo/keys/a")
                .header(HeaderNames.create("X-API-Key"), API_KEY).submit("{}")) {
            assertThat(res.status().code()).isEqualTo(403);
            assertThat(res.as(String.class)).contains("/problems/insufficient-scope").contains("echo:write");
        }
        assertThat(backend.hits()).isEqualTo(before);
    }

    @Test
    void aValidKeyReachesTheInstanceWithTheIdentityAndWithoutTheKeyOrSpoofedIdentity() {
        try (Http1ClientResponse res = client.get("/echo/keys/me")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + API_KEY)
                .header(HeaderNames.create("X-Auth-Client-Id"), "admin")
                .header(HeaderNames.create("X-Auth-Scopes"), "everything")
                .request()) {
            assertThat(res.status().code()).isEqualTo(200);
        }
        Map<String, List<String>> headers = lastHeaders();
        assertThat(headers.get("x-auth-client-id")).containsExactly("demo-client");
        assertThat(headers.get("x-auth-scopes")).containsExactly("echo:read");
        assertThat(headers).doesNotContainKeys("authorization", "x-api-key");
    }

    @Test
    void aValidJwtReachesTheInstanceWithItsSubject() throws Exception {
        String token = token(ISSUER, "refgateway", "orders:write", new Date(System.currentTimeMillis() + 60_000));
        try (Http1ClientResponse res = client.get("/echo/tokens/x")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + token).request()) {
            assertThat(res.status().code()).isEqualTo(200);
        }
        assertThat(lastHeaders().get("x-auth-subject")).containsExactly("user-7");
    }

    @Test
    void anExpiredOrForeignJwtIs401() throws Exception {
        String expired = token(ISSUER, "refgateway", "orders:write", new Date(System.currentTimeMillis() - 600_000));
        String wrongIssuer = token("https://evil.test", "refgateway", "orders:write",
                                   new Date(System.currentTimeMillis() + 60_000));
        String wrongAudience = token(ISSUER, "someone-else", "orders:write",
                                     new Date(System.currentTimeMillis() + 60_000));
        for (String token : List.of(expired, wrongIssuer, wrongAudience, "not.a.token")) {
            try (Http1ClientResponse res = client.get("/echo/tokens/x")
                    .header(HeaderNames.AUTHORIZATION, "Bearer " + token).request()) {
                assertThat(res.status().code()).as(token).isIn(400, 401);
                assertThat(res.headers().first(HeaderNames.WWW_AUTHENTICATE)).isPresent();
            }
        }
    }

    @Test
    void aClaimedIdentityOnAPublicRouteIsStripped() {
        try (Http1ClientResponse res = client.get("/echo/open")
                .header(HeaderNames.create("X-Auth-Client-Id"), "admin")
                .header(HeaderNames.create("X-Auth-Subject"), "root")
                .request()) {
            assertThat(res.status().code()).isEqualTo(200);
        }
        assertThat(lastHeaders()).doesNotContainKeys("x-auth-client-id", "x-auth-subject", "x-auth-scopes");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> lastHeaders() {
        return (Map<String, List<String>>) backend.received().getLast().get("headers");
    }

    private static String token(String issuer, String audience, String scope, Date expires) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(),
                                      new JWTClaimsSet.Builder()
                                              .issuer(issuer)
                                              .audience(audience)
                                              .subject("user-7")
                                              .claim("scope", scope)
                                              .issueTime(new Date())
                                              .expirationTime(expires)
                                              .build());
        jwt.sign(new RSASSASigner(signingKey));
        return jwt.serialize();
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
