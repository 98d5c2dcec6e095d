package dev.refgateway.gateway.security;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.refgateway.gateway.routing.AuthPolicy;
import dev.refgateway.gateway.routing.Route;
import dev.refgateway.gateway.testing.JwksServer;

import io.helidon.http.Method;
import io.helidon.http.Status;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;

import static dev.refgateway.gateway.security.JwtAuthenticationTest.assertRefused;
import static dev.refgateway.gateway.security.Requests.bearer;
import static dev.refgateway.gateway.security.Tokens.ISSUER;
import static dev.refgateway.gateway.security.Tokens.claims;
import static dev.refgateway.gateway.security.Tokens.es256;
import static dev.refgateway.gateway.security.Tokens.rs256;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * JWTs verified with keys from a real JWKS endpoint (a Helidon server in the test JVM). Tokens are valid now: the
 * JWKS path uses the real clock.
 */
class JwksAuthenticationTest {

    private static final Route JWT_ROUTE = Requests.route(AuthPolicy.JWT);

    @Test
    void keysAreFetchedOnceAndCached() {
        try (JwksServer jwks = new JwksServer(Tokens.RSA, Tokens.EC);
             RouteGuard guard = guard(jwks.url(), Duration.ofSeconds(2))) {
            for (int i = 0; i < 5; i++) {
                assertThat(guard.check(JWT_ROUTE, Method.GET, bearer(rs256(Tokens.RSA, fresh()))))
                        .isInstanceOf(Decision.Allowed.class);
                assertThat(guard.check(JWT_ROUTE, Method.GET, bearer(es256(Tokens.EC, fresh()))))
                        .isInstanceOf(Decision.Allowed.class);
            }

            assertThat(jwks.fetches()).isEqualTo(1);
        }
    }

    @Test
    void unknownKeyIdTriggersARefetchSoThatRotatedKeysWork() {
        ECKey before = Tokens.ec("2030-01");
        ECKey after = Tokens.ec("2030-02");
        try (JwksServer jwks = new JwksServer(Tokens.RSA, before);
             RouteGuard guard = guard(jwks.url(), Duration.ofSeconds(2))) {
            assertThat(guard.check(JWT_ROUTE, Method.GET, bearer(es256(before, fresh()))))
                    .isInstanceOf(Decision.Allowed.class);

            jwks.publish(Tokens.RSA, after);
            Decision rotated = guard.check(JWT_ROUTE, Method.GET, bearer(es256(after, fresh())));

            assertThat(rotated).isInstanceOf(Decision.Allowed.class);
            assertThat(jwks.fetches()).isEqualTo(2);
            // The retired key is gone from the cache with the re-fetch; the RSA key is still there.
            assertRefused(guard.check(JWT_ROUTE, Method.GET, bearer(es256(before, fresh()))), "unknown-key",
                          "Token signed with an unknown key");
            assertThat(guard.check(JWT_ROUTE, Method.GET, bearer(rs256(Tokens.RSA, fresh()))))
                    .isInstanceOf(Decision.Allowed.class);
            assertThat(jwks.fetches()).isEqualTo(2);
        }
    }

    @Test
    void madeUpKeyIdsCannotHammerTheJwksEndpoint() {
        try (JwksServer jwks = new JwksServer(Tokens.RSA);
             RouteGuard guard = guard(jwks.url(), Duration.ofSeconds(2))) {
            assertThat(guard.check(JWT_ROUTE, Method.GET, bearer(rs256(Tokens.RSA, fresh()))))
                    .isInstanceOf(Decision.Allowed.class);
            ECKey attacker = Tokens.ec("unused");

            for (int i = 0; i < 50; i++) {
                ECKey withMadeUpKid = new ECKey.Builder(attacker).keyID("garbage-" + i).build();
                Decision decision = guard.check(JWT_ROUTE, Method.GET, bearer(es256(withMadeUpKid, fresh())));

                assertRefused(decision, "unknown-key", "Token signed with an unknown key");
            }

            // The first fetch, plus at most one refresh within the rate limit's interval (30 s by default).
            assertThat(jwks.fetches()).isLessThanOrEqualTo(2);
            assertThat(guard.jwksFetches()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void keyOfAnotherTypeUnderAKnownKidIsNotUsed() {
        ECKey ec = Tokens.ec(Tokens.RSA.getKeyID()); // an EC key claiming the RSA key's kid
        try (JwksServer jwks = new JwksServer(Tokens.RSA);
             RouteGuard guard = guard(jwks.url(), Duration.ofSeconds(2))) {
            assertRefused(guard.check(JWT_ROUTE, Method.GET, bearer(es256(ec, fresh()))), "unknown-key",
                          "Token signed with an unknown key");
        }
    }

    @Test
    void hs256TokenSignedWithAPublishedKeyIsRefused() {
        try (JwksServer jwks = new JwksServer(Tokens.RSA);
             RouteGuard guard = guard(jwks.url(), Duration.ofSeconds(2))) {
            String confused = Tokens.hs256(Tokens.RSA.toPublicJWK().toJSONString().getBytes(),
                                           Tokens.RSA.getKeyID(), fresh());

            assertRefused(guard.check(JWT_ROUTE, Method.GET, bearer(confused)), "algorithm-not-allowed",
                          "Token signing algorithm not accepted");
            assertThat(jwks.fetches()).isZero();
        }
    }

    @Test
    void unreachableJwksIsUnavailableNotTheCallersFault() throws Exception {
        URI closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/jwks.json");
        }
        try (RouteGuard guard = guard(closedPort, Duration.ofSeconds(1))) {
            Decision decision = guard.check(JWT_ROUTE, Method.GET, bearer(rs256(Tokens.RSA, fresh())));

            assertThat(decision).isEqualTo(new Decision.Unavailable("Token signing keys unavailable"));
            assertThat(decision.status()).isEqualTo(Status.SERVICE_UNAVAILABLE_503);
            // Within the rate limit's interval the endpoint is not asked again, and the answer stays 503.
            for (int i = 0; i < 5; i++) {
                assertThat(guard.check(JWT_ROUTE, Method.GET, bearer(rs256(Tokens.RSA, fresh()))).status())
                        .isEqualTo(Status.SERVICE_UNAVAILABLE_503);
            }
        }
    }

    @Test
    void jwksErrorStatusIsUnavailable() {
        try (JwksServer jwks = new JwksServer(Tokens.RSA);
             RouteGuard guard = guard(jwks.url(), Duration.ofSeconds(2))) {
            jwks.answer(500);

            assertThat(guard.check(JWT_ROUTE, Method.GET, bearer(rs256(Tokens.RSA, fresh()))).status())
                    .isEqualTo(Status.SERVICE_UNAVAILABLE_503);
        }
    }

    @Test
    void slowJwksIsCutOffByTheTimeout() {
        try (JwksServer jwks = new JwksServer(Tokens.RSA);
             RouteGuard guard = guard(jwks.url(), Duration.ofMillis(300))) {
            jwks.delay(Duration.ofSeconds(5));
            long started = System.nanoTime();

            Decision decision = guard.check(JWT_ROUTE, Method.GET, bearer(rs256(Tokens.RSA, fresh())));

            assertThat(decision.status()).isEqualTo(Status.SERVICE_UNAVAILABLE_503);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void keysStayInUseWhileTheEndpointFailsAfterAFetch() {
        try (JwksServer jwks = new JwksServer(Tokens.RSA);
             RouteGuard guard = guard(jwks.url(), Duration.ofSeconds(2))) {
            assertThat(guard.check(JWT_ROUTE, Method.GET, bearer(rs256(Tokens.RSA, fresh()))))
                    .isInstanceOf(Decision.Allowed.class);
            jwks.answer(503);

            // An unknown kid forces a fetch, which fails: the last keys stay in use, the kid stays unknown.
            Decision unknown = guard.check(JWT_ROUTE, Method.GET, bearer(es256(Tokens.ec("new"), fresh())));
            Decision known = guard.check(JWT_ROUTE, Method.GET, bearer(rs256(Tokens.RSA, fresh())));

            assertRefused(unknown, "unknown-key", "Token signed with an unknown key");
            assertThat(jwks.fetches()).isEqualTo(2);
            assertThat(known).isInstanceOf(Decision.Allowed.class);
        }
    }

    /** Claims valid at the real current time. */
    private static JWTClaimsSet fresh() {
        Date now = new Date();
        return claims().issueTime(now).expirationTime(new Date(now.getTime() + 300_000)).build();
    }

    private static RouteGuard guard(URI jwksUrl, Duration timeout) {
        JwtSettings jwt = new JwtSettings(ISSUER, Set.of(), new JwtSettings.Jwks(
                jwksUrl, timeout, JwtSettings.JWKS_CACHE_TTL.defaultValue(), JwtSettings.JWKS_MIN_REFRESH_INTERVAL.defaultValue()),
                                          new LinkedHashSet<>(JwtSettings.ALGORITHMS.defaultValue()), JwtSettings.CLOCK_SKEW.defaultValue());
        return RouteGuard.create(new SecuritySettings(AuthPolicy.PUBLIC, "refgateway", List.of(), Optional.of(jwt)));
    }
}
