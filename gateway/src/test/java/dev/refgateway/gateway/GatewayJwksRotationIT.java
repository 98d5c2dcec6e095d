package dev.refgateway.gateway;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.gateway.testing.Backend;
import dev.refgateway.gateway.testing.JwksServer;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Key rotation at an identity provider, seen through a real gateway whose route takes JWTs checked against a real
 * JWKS endpoint: the provider adds a new key and signs with it; the gateway, meeting the unknown kid, fetches the
 * JWKS again and lets the new tokens through without a restart — while tokens with made-up kids are refused
 * without hammering the endpoint. The steps build on each other, hence the order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayJwksRotationIT {

    private static final String SERVICE = "svc-jwks-rotation";
    private static final String ISSUER = "https://rotating-issuer.test";

    private static RSAKey oldKey;
    private static RSAKey newKey;
    private static JwksServer jwks;
    private static Backend backend;
    private static Gateway gateway;
    private static Http1Client client;

    @BeforeAll
    static void start() throws Exception {
        oldKey = new RSAKeyGenerator(2048).keyID("key-2026-01").generate();
        newKey = new RSAKeyGenerator(2048).keyID("key-2026-02").generate();
        jwks = new JwksServer(oldKey.toPublicJWK());
        ConsulAgent agent = ConsulAgent.shared();
        backend = Backend.start(SERVICE, agent.client());
        gateway = TestGateway.start(agent.url(), """
                  security:
                    # 30 forged tokens below must reach the JWT check: failed attempts are not what is tested here
                    failed-auth-limit: {failures: 100}
                    jwt:
                      issuer: %s
                      audiences: [refgateway]
                      jwks-url: %s
                      jwks-cache-ttl: 5m
                      jwks-min-refresh-interval: 1s
                  routes:
                    - id: tokens
                      path: /**
                      service: %s
                      auth: {policy: jwt}
                """.formatted(ISSUER, jwks.url(), SERVICE));
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
        if (jwks != null) {
            jwks.close();
        }
    }

    @Test
    @Order(1)
    void aTokenSignedWithThePublishedKeyPasses() throws Exception {
        assertThat(status(token(oldKey, "before-rotation"))).isEqualTo(200);
        assertThat(lastSubject()).isEqualTo("before-rotation");
    }

    @Test
    @Order(2)
    void afterTheProviderRotatesTokensOfTheNewKeyPassWithoutARestart() throws Exception {
        jwks.publish(newKey.toPublicJWK(), oldKey.toPublicJWK());
        String rotated = token(newKey, "after-rotation");
        // Unknown-kid refetches are rate limited (1 s here): the first try may come too early after the first fetch.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> assertThat(status(rotated)).isEqualTo(200));
        assertThat(lastSubject()).isEqualTo("after-rotation");
        // Tokens handed out before the rotation stay valid while the provider still publishes their key.
        assertThat(status(token(oldKey, "old-token"))).isEqualTo(200);
    }

    @Test
    @Order(3)
    void tokensWithMadeUpKidsAreRefusedWithoutHammeringTheJwksEndpoint() throws Exception {
        RSAKey forged = new RSAKeyGenerator(2048).keyID("made-up").generate();
        int hitsBefore = backend.hits();
        int fetchesBefore = jwks.fetches();
        for (int i = 0; i < 30; i++) {
            try (Http1ClientResponse res = client.get("/echo/x")
                    .header(HeaderNames.AUTHORIZATION, "Bearer " + token(forged, "mallory")).request()) {
                assertThat(res.status().code()).isEqualTo(401);
                assertThat(res.headers().first(HeaderNames.WWW_AUTHENTICATE)).hasValueSatisfying(
                        challenge -> assertThat(challenge).contains("invalid_token"));
            }
        }
        assertThat(backend.hits()).isEqualTo(hitsBefore);
        // 30 requests in well under the 1 s interval (or a few intervals on a slow machine): a handful of fetches.
        assertThat(jwks.fetches() - fetchesBefore).isLessThanOrEqualTo(5);
    }

    private static int status(String token) {
        try (Http1ClientResponse res = client.get("/echo/x").header(HeaderNames.AUTHORIZATION, "Bearer " + token)
                .request()) {
            return res.status().code();
        }
    }

    @SuppressWarnings("unchecked")
    private static String lastSubject() {
        Map<String, List<String>> headers = (Map<String, List<String>>) backend.received().getLast().get("headers");
        return headers.get("x-auth-subject").getFirst();
    }

    private static String token(RSAKey key, String subject) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                                      new JWTClaimsSet.Builder()
                                              .issuer(ISSUER)
                                              .audience("refgateway")
                                              .subject(subject)
                                              .issueTime(new Date())
                                              .expirationTime(new Date(System.currentTimeMillis() + 60_000))
                                              .build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
