package dev.refgateway.gateway.security;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.refgateway.gateway.routing.AuthPolicy;
import dev.refgateway.gateway.routing.Route;

import io.helidon.http.Method;
import io.helidon.http.Status;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static dev.refgateway.gateway.security.Requests.bearer;
import static dev.refgateway.gateway.security.Tokens.EC;
import static dev.refgateway.gateway.security.Tokens.ISSUER;
import static dev.refgateway.gateway.security.Tokens.NOW;
import static dev.refgateway.gateway.security.Tokens.RSA;
import static dev.refgateway.gateway.security.Tokens.claims;
import static dev.refgateway.gateway.security.Tokens.es256;
import static dev.refgateway.gateway.security.Tokens.rs256;
import static org.assertj.core.api.Assertions.assertThat;

/** JWTs against static keys, checked at a fixed time ({@link Tokens#NOW}) so that skew boundaries are exact. */
class JwtAuthenticationTest {

    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Route JWT_ROUTE = Requests.route(AuthPolicy.JWT);
    private static final RouteGuard RSA_GUARD = guard(staticRsaSettings());
    private static final RouteGuard EC_GUARD = guard(new JwtSettings(
            ISSUER, Set.of(), JwtSettings.StaticKey.of(EC.toPublicJWK()), new LinkedHashSet<>(JwtSettings.ALGORITHMS.defaultValue()),
            JwtSettings.CLOCK_SKEW.defaultValue()));

    /** The RSA key as configured from PEM, issuer only, default skew (30 s). */
    static JwtSettings staticRsaSettings() {
        return new JwtSettings(ISSUER, Set.of(), JwtSettings.StaticKey.of(RSA.toPublicJWK()),
                               new LinkedHashSet<>(JwtSettings.ALGORITHMS.defaultValue()), JwtSettings.CLOCK_SKEW.defaultValue());
    }

    static RouteGuard guard(JwtSettings jwt) {
        return RouteGuard.create(new SecuritySettings(AuthPolicy.PUBLIC, "refgateway", List.of(), Optional.of(jwt)),
                                 CLOCK);
    }

    @AfterAll
    static void close() {
        RSA_GUARD.close();
        EC_GUARD.close();
    }

    @Test
    void validRs256TokenIdentifiesItsSubjectClientAndScopes() {
        String token = rs256(RSA, claims().claim("scope", "users:read orders:write").claim("client_id", "web-app")
                .build());

        Decision decision = RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(token));

        assertThat(decision).isEqualTo(new Decision.Allowed(
                Identity.jwt("alice", Optional.of("web-app"), List.of("users:read", "orders:write"))));
        assertThat(((Decision.Allowed) decision).identity().principal()).isEqualTo("alice");
    }

    @Test
    void validEs256TokenIsAccepted() {
        String token = es256(EC, claims().claim("scp", List.of("users:read")).claim("azp", "mobile").build());

        Decision decision = EC_GUARD.check(JWT_ROUTE, Method.GET, bearer(token));

        assertThat(decision).isEqualTo(new Decision.Allowed(
                Identity.jwt("alice", Optional.of("mobile"), List.of("users:read"))));
    }

    @Test
    void scopesComeFromScopeOrScpAsStringOrArray() {
        assertThat(scopesOf(claims().claim("scope", List.of("a", "b")).build())).containsExactly("a", "b");
        assertThat(scopesOf(claims().claim("scp", "c  d").build())).containsExactly("c", "d");
        assertThat(scopesOf(claims().claim("scope", "e").claim("scp", List.of("ignored")).build()))
                .containsExactly("e");
        assertThat(scopesOf(claims().build())).isEmpty();
    }

    @Test
    void expiredTokenIsRefusedButWithinTheSkewIsAccepted() {
        String expiredLongAgo = rs256(RSA, claims().expirationTime(Date.from(NOW.minusSeconds(3600))).build());
        String expiredBeyondSkew = rs256(RSA, claims().expirationTime(Date.from(NOW.minusSeconds(30))).build());
        String expiredWithinSkew = rs256(RSA, claims().expirationTime(Date.from(NOW.minusSeconds(29))).build());

        assertRefused(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(expiredLongAgo)), "expired", "Token expired");
        assertRefused(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(expiredBeyondSkew)), "expired", "Token expired");
        assertThat(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(expiredWithinSkew)))
                .isInstanceOf(Decision.Allowed.class);
    }

    @Test
    void notYetValidTokenIsRefusedBeyondTheSkewOnly() {
        String beyondSkew = rs256(RSA, claims().notBeforeTime(Date.from(NOW.plusSeconds(31))).build());
        String withinSkew = rs256(RSA, claims().notBeforeTime(Date.from(NOW.plusSeconds(30))).build());

        assertRefused(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(beyondSkew)), "not-yet-valid",
                      "Token not yet valid");
        assertThat(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(withinSkew))).isInstanceOf(Decision.Allowed.class);
    }

    @Test
    void skewIsConfigurable() {
        try (RouteGuard strict = guard(new JwtSettings(ISSUER, Set.of(), JwtSettings.StaticKey.of(RSA.toPublicJWK()),
                                                       new LinkedHashSet<>(JwtSettings.ALGORITHMS.defaultValue()), Duration.ZERO))) {
            String expiredASecondAgo = rs256(RSA, claims().expirationTime(Date.from(NOW.minusSeconds(1))).build());

            assertRefused(strict.check(JWT_ROUTE, Method.GET, bearer(expiredASecondAgo)), "expired", "Token expired");
        }
    }

    @Test
    void tokenWithoutExpiryOrSubjectIsRefused() {
        String noExpiry = rs256(RSA, new JWTClaimsSet.Builder().issuer(ISSUER).subject("alice").build());
        String noSubject = rs256(RSA, claims().subject(null).build());

        assertRefused(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(noExpiry)), "no-expiry", "Token has no expiry");
        assertRefused(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(noSubject)), "no-subject",
                      "Token has no subject");
    }

    @Test
    void wrongIssuerIsRefused() {
        String otherIssuer = rs256(RSA, claims().issuer("https://evil.test").build());
        String noIssuer = rs256(RSA, claims().issuer(null).build());

        assertRefused(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(otherIssuer)), "wrong-issuer",
                      "Token from another issuer");
        assertRefused(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(noIssuer)), "wrong-issuer",
                      "Token from another issuer");
    }

    @Test
    void audienceIsCheckedWhenConfigured() {
        try (RouteGuard guard = guard(new JwtSettings(ISSUER, Set.of("refgateway", "api"),
                                                      JwtSettings.StaticKey.of(RSA.toPublicJWK()),
                                                      new LinkedHashSet<>(JwtSettings.ALGORITHMS.defaultValue()),
                                                      JwtSettings.CLOCK_SKEW.defaultValue()))) {
            String wrong = rs256(RSA, claims().audience("other-api").build());
            String none = rs256(RSA, claims().build());
            String oneOfMany = rs256(RSA, claims().audience(List.of("other-api", "api")).build());

            assertRefused(guard.check(JWT_ROUTE, Method.GET, bearer(wrong)), "wrong-audience",
                          "Token for another audience");
            assertRefused(guard.check(JWT_ROUTE, Method.GET, bearer(none)), "wrong-audience",
                          "Token for another audience");
            assertThat(guard.check(JWT_ROUTE, Method.GET, bearer(oneOfMany))).isInstanceOf(Decision.Allowed.class);
        }
        // Without configured audiences, any aud passes.
        assertThat(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(rs256(RSA, claims().audience("x").build()))))
                .isInstanceOf(Decision.Allowed.class);
    }

    @Test
    void badSignatureIsRefused() {
        String genuine = rs256(RSA, claims().build());
        String forged = rs256(RSA, claims().subject("mallory").build());
        String tampered = Tokens.withSignatureOf(forged, genuine);
        String otherKey = rs256(Tokens.rsa("rsa-1"), claims().build()); // same kid, different key

        assertRefused(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(tampered)), "bad-signature",
                      "Invalid token signature");
        assertRefused(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(otherKey)), "bad-signature",
                      "Invalid token signature");
    }

    @Test
    void unsignedTokenIsRefusedWhateverTheSpellingOfNone() {
        JWTClaimsSet claims = claims().build();

        assertRefused(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(Tokens.unsigned("none", claims))),
                      "unsigned-token", "Unsigned tokens are not accepted");
        assertRefused(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(Tokens.unsigned("None", claims) + "c2ln")),
                      "algorithm-not-allowed", "Token signing algorithm not accepted");
        // alg none with a signature copied from a genuine token
        String withSignature = Tokens.withSignatureOf(Tokens.unsigned("none", claims), rs256(RSA, claims));
        assertThat(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(withSignature)))
                .isInstanceOf(Decision.Unauthenticated.class);
    }

    @Test
    void hs256SignedWithThePublicKeyAsSecretIsRefused() {
        JWTClaimsSet claims = claims().subject("mallory").build();
        byte[] der = publicKeyBytes(RSA);
        byte[] pem = Tokens.pem(RSA).getBytes(StandardCharsets.US_ASCII);
        byte[] jwkJson = RSA.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);

        for (byte[] secret : List.of(der, pem, jwkJson)) {
            String confused = Tokens.hs256(secret, RSA.getKeyID(), claims);

            assertRefused(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(confused)), "algorithm-not-allowed",
                          "Token signing algorithm not accepted");
        }
    }

    @Test
    void algorithmOfAnotherKeyTypeIsRefused() {
        String es256 = es256(EC, claims().build());
        String rs256 = rs256(RSA, claims().build());
        String ps256 = Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID(RSA.getKeyID()).build(),
                                   rsaSigner(RSA), claims().build());

        assertRefused(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(es256)), "algorithm-not-allowed",
                      "Token signing algorithm not accepted");
        assertRefused(EC_GUARD.check(JWT_ROUTE, Method.GET, bearer(rs256)), "algorithm-not-allowed",
                      "Token signing algorithm not accepted");
        assertRefused(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(ps256)), "algorithm-not-allowed",
                      "Token signing algorithm not accepted");
    }

    @Test
    void staticKeyIgnoresTheKeyIdATokenNames() {
        String otherKid = Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rotated-away").build(),
                                      rsaSigner(RSA), claims().build());
        String noKid = Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).build(), rsaSigner(RSA),
                                   claims().build());

        assertThat(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(otherKid))).isInstanceOf(Decision.Allowed.class);
        assertThat(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(noKid))).isInstanceOf(Decision.Allowed.class);
    }

    @Test
    void accessTokenTypeIsAcceptedOtherTypesAreNot() {
        String accessToken = Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.RS256)
                                                 .type(new JOSEObjectType("at+jwt")).build(),
                                         rsaSigner(RSA), claims().build());
        String logoutToken = Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.RS256)
                                                 .type(new JOSEObjectType("logout+jwt")).build(),
                                         rsaSigner(RSA), claims().build());

        assertThat(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(accessToken))).isInstanceOf(Decision.Allowed.class);
        assertRefused(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(logoutToken)), "wrong-type",
                      "Token type not accepted");
    }

    @Test
    void malformedTokensAreRefusedNeverThrown() {
        String rs256Header = Tokens.base64Url("{\"alg\":\"RS256\"}");
        for (String garbage : List.of("abc", "a.b.c", "a.b", "....", "eyJhbGciOiJSUzI1NiJ9.e30.",
                                      rs256Header + "." + Tokens.base64Url("[1,2]") + ".c2ln",
                                      Tokens.base64Url("{\"alg\":7}") + ".e30.c2ln")) {
            Decision decision = RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(garbage));

            assertThat(decision).as(garbage).isInstanceOf(Decision.Unauthenticated.class);
            assertThat(decision.status()).as(garbage).isEqualTo(Status.UNAUTHORIZED_401);
        }
    }

    @Test
    void claimsThatCannotTravelInAHeaderRefuseTheToken() {
        assertRefused(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(rs256(RSA, claims().subject("a\r\nX-Auth: 1")
                .build()))), "invalid-claims", "Token claims not usable");
        assertRefused(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(rs256(RSA, claims().claim("scope",
                List.of("ok", "not ok")).build()))), "invalid-claims", "Token claims not usable");
        assertRefused(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(rs256(RSA, claims().claim("scope", 42)
                .build()))), "invalid-claims", "Token claims not usable");
        assertRefused(RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(rs256(RSA, claims().claim("client_id",
                List.of("x")).build()))), "invalid-claims", "Token claims not usable");
    }

    @Test
    void developmentSecretAcceptsHs256Only() {
        String secret = "a-development-secret-of-32-bytes!";
        try (RouteGuard guard = guard(new JwtSettings(ISSUER, Set.of(), new JwtSettings.DevelopmentSecret(secret),
                                                      new LinkedHashSet<>(JwtSettings.ALGORITHMS.defaultValue()),
                                                      JwtSettings.CLOCK_SKEW.defaultValue()))) {
            String hs256 = Tokens.hs256(secret.getBytes(StandardCharsets.UTF_8), null, claims().build());
            String wrongSecret = Tokens.hs256("another-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8),
                                              null, claims().build());

            assertThat(guard.check(JWT_ROUTE, Method.GET, bearer(hs256))).isInstanceOf(Decision.Allowed.class);
            assertRefused(guard.check(JWT_ROUTE, Method.GET, bearer(wrongSecret)), "bad-signature",
                          "Invalid token signature");
            assertRefused(guard.check(JWT_ROUTE, Method.GET, bearer(rs256(RSA, claims().build()))),
                          "algorithm-not-allowed", "Token signing algorithm not accepted");
        }
    }

    @Test
    void jwtScopesAreCheckedPerMethod() {
        Route route = Requests.route(AuthPolicy.JWT, Map.of(Method.GET, List.of("users:read")),
                                     List.of("users:write"));
        String reader = rs256(RSA, claims().claim("scope", "users:read").build());

        assertThat(RSA_GUARD.check(route, Method.GET, bearer(reader))).isInstanceOf(Decision.Allowed.class);
        assertThat(RSA_GUARD.check(route, Method.DELETE, bearer(reader)).reason())
                .isEqualTo("Missing scope users:write");
    }

    private static List<String> scopesOf(JWTClaimsSet claims) {
        Decision decision = RSA_GUARD.check(JWT_ROUTE, Method.GET, bearer(rs256(RSA, claims)));
        assertThat(decision).isInstanceOf(Decision.Allowed.class);
        return List.copyOf(((Decision.Allowed) decision).identity().scopes());
    }

    static void assertRefused(Decision decision, String label, String reason) {
        assertThat(decision).isInstanceOf(Decision.Unauthenticated.class);
        assertThat(decision.status()).isEqualTo(Status.UNAUTHORIZED_401);
        assertThat(decision.label()).isEqualTo(label);
        assertThat(decision.reason()).isEqualTo(reason);
        assertThat(((Decision.Unauthenticated) decision).wwwAuthenticate()).isEqualTo(
                "Bearer realm=\"refgateway\", error=\"invalid_token\", error_description=\"" + reason + "\"");
    }

    private static byte[] publicKeyBytes(RSAKey key) {
        try {
            return key.toPublicKey().getEncoded();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSASSASigner rsaSigner(RSAKey key) {
        try {
            return new RSASSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
