package dev.refgateway.gateway.security;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.refgateway.gateway.routing.AuthPolicy;
import dev.refgateway.gateway.routing.Route;

import io.helidon.http.Method;
import io.helidon.http.Status;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static dev.refgateway.gateway.security.Requests.READER_KEY;
import static dev.refgateway.gateway.security.Requests.WRITER_KEY;
import static dev.refgateway.gateway.security.Requests.apiKey;
import static dev.refgateway.gateway.security.Requests.bearer;
import static dev.refgateway.gateway.security.Requests.headers;
import static dev.refgateway.gateway.security.Tokens.RSA;
import static dev.refgateway.gateway.security.Tokens.claims;
import static dev.refgateway.gateway.security.Tokens.rs256;
import static org.assertj.core.api.Assertions.assertThat;

/** Route policies and per-method scopes, with both kinds of credentials configured. */
class RouteGuardTest {

    private static final RouteGuard GUARD = RouteGuard.create(new SecuritySettings(
            AuthPolicy.PUBLIC, "refgateway",
            List.of(apiKey("reader-app", READER_KEY, "users:read"),
                    apiKey("writer-app", WRITER_KEY, "users:read", "users:write")),
            Optional.of(JwtAuthenticationTest.staticRsaSettings())), Clock.fixed(Tokens.NOW, ZoneOffset.UTC));

    @AfterAll
    static void close() {
        GUARD.close();
    }

    @Test
    void publicRouteAllowsAnyoneAsAnonymousWithoutLookingAtCredentials() {
        Route route = Requests.route(AuthPolicy.PUBLIC);

        Decision none = GUARD.check(route, Method.GET, headers());
        Decision garbage = GUARD.check(route, Method.GET, headers("Authorization", "Bearer garbage",
                                                                  "X-API-Key", "wrong"));

        assertThat(none).isEqualTo(new Decision.Allowed(Identity.ANONYMOUS));
        assertThat(garbage).isEqualTo(new Decision.Allowed(Identity.ANONYMOUS));
        assertThat(((Decision.Allowed) none).identity().principal()).isEqualTo("anonymous");
        assertThat(none.status()).isEqualTo(Status.OK_200);
        assertThat(none.label()).isEqualTo("allowed");
    }

    @Test
    void missingCredentialsOnEveryProtectedPolicyGetTheBareChallenge() {
        for (AuthPolicy policy : List.of(AuthPolicy.API_KEY, AuthPolicy.JWT, AuthPolicy.ANY_OF)) {
            Decision decision = GUARD.check(Requests.route(policy), Method.GET, headers());

            assertThat(decision).as(policy.configName()).isEqualTo(new Decision.Unauthenticated(
                    AuthFailure.MISSING_CREDENTIALS, "Bearer realm=\"refgateway\""));
        }
    }

    @Test
    void anyOfAcceptsAnApiKeyOrAJwt() {
        Route route = Requests.route(AuthPolicy.ANY_OF);
        String jwt = rs256(RSA, claims().build());

        Decision byHeader = GUARD.check(route, Method.GET, headers("X-API-Key", READER_KEY));
        Decision byBearerKey = GUARD.check(route, Method.GET, bearer(WRITER_KEY));
        Decision byJwt = GUARD.check(route, Method.GET, bearer(jwt));

        assertThat(byHeader).extracting(d -> ((Decision.Allowed) d).identity().kind()).isEqualTo(Identity.Kind.API_KEY);
        assertThat(byBearerKey).extracting(d -> ((Decision.Allowed) d).identity().clientId())
                .isEqualTo(Optional.of("writer-app"));
        assertThat(byJwt).extracting(d -> ((Decision.Allowed) d).identity().kind()).isEqualTo(Identity.Kind.JWT);
    }

    @Test
    void anyOfRefusesWithTheReasonOfTheCredentialItLooksLike() {
        Route route = Requests.route(AuthPolicy.ANY_OF);
        String expired = rs256(RSA, claims().expirationTime(java.util.Date.from(Tokens.NOW.minusSeconds(600)))
                .build());

        assertThat(GUARD.check(route, Method.GET, bearer("no-such-key")).label()).isEqualTo("unknown-api-key");
        assertThat(GUARD.check(route, Method.GET, bearer(expired)).label()).isEqualTo("expired");
        assertThat(GUARD.check(route, Method.GET, headers("X-API-Key", "no-such-key")).label())
                .isEqualTo("unknown-api-key");
    }

    @Test
    void apiKeyRouteDoesNotTakeJwts() {
        String jwt = rs256(RSA, claims().build());

        assertThat(GUARD.check(Requests.route(AuthPolicy.API_KEY), Method.GET, bearer(jwt)).label())
                .isEqualTo("unknown-api-key");
    }

    @Test
    void scopesArePerMethodWithAFallbackForEveryOtherMethod() {
        Route route = Requests.route(AuthPolicy.API_KEY, Map.of(Method.GET, List.of("users:read")),
                                     List.of("users:write"));

        assertThat(GUARD.check(route, Method.GET, headers("X-API-Key", READER_KEY)))
                .isInstanceOf(Decision.Allowed.class);
        assertThat(GUARD.check(route, Method.POST, headers("X-API-Key", READER_KEY)).reason())
                .isEqualTo("Missing scope users:write");
        assertThat(GUARD.check(route, Method.PATCH, headers("X-API-Key", READER_KEY)).status())
                .isEqualTo(Status.FORBIDDEN_403);
        assertThat(GUARD.check(route, Method.POST, headers("X-API-Key", WRITER_KEY)))
                .isInstanceOf(Decision.Allowed.class);
    }

    @Test
    void headFollowsGetUnlessListed() {
        Route getOnly = Requests.route(AuthPolicy.API_KEY, Map.of(Method.GET, List.of("users:write")), List.of());
        Route headListed = Requests.route(AuthPolicy.API_KEY, Map.of(Method.GET, List.of("users:write"),
                                                                     Method.HEAD, List.of()), List.of());

        assertThat(GUARD.check(getOnly, Method.HEAD, headers("X-API-Key", READER_KEY)).status())
                .isEqualTo(Status.FORBIDDEN_403);
        assertThat(GUARD.check(headListed, Method.HEAD, headers("X-API-Key", READER_KEY)))
                .isInstanceOf(Decision.Allowed.class);
    }

    @Test
    void methodsWithoutScopesNeedAuthenticationOnly() {
        Route route = Requests.route(AuthPolicy.API_KEY, Map.of(Method.DELETE, List.of("users:admin")), List.of());

        assertThat(GUARD.check(route, Method.GET, headers("X-API-Key", READER_KEY)))
                .isInstanceOf(Decision.Allowed.class);
        assertThat(GUARD.check(route, Method.GET, headers()).status()).isEqualTo(Status.UNAUTHORIZED_401);
    }

    @Test
    void everyMissingScopeIsNamedAndTheChallengeListsTheRequiredOnes() {
        Route route = Requests.route(AuthPolicy.API_KEY, Map.of(),
                                     List.of("users:read", "users:write", "users:admin"));

        Decision decision = GUARD.check(route, Method.PUT, headers("X-API-Key", READER_KEY));

        assertThat(decision).isEqualTo(new Decision.Forbidden(
                List.of("users:write", "users:admin"),
                "Bearer realm=\"refgateway\", error=\"insufficient_scope\", error_description=\"Missing scopes "
                        + "users:write users:admin\", scope=\"users:read users:write users:admin\""));
        assertThat(decision.reason()).isEqualTo("Missing scopes users:write users:admin");
        assertThat(decision.label()).isEqualTo("insufficient-scope");
    }

    @Test
    void realmIsConfigurable() {
        try (RouteGuard guard = RouteGuard.create(new SecuritySettings(
                AuthPolicy.PUBLIC, "orders API", List.of(apiKey("a", READER_KEY)), Optional.empty()))) {
            Decision decision = guard.check(Requests.route(AuthPolicy.API_KEY), Method.GET, headers());

            assertThat(((Decision.Unauthenticated) decision).wwwAuthenticate())
                    .isEqualTo("Bearer realm=\"orders API\"");
        }
    }

    @Test
    void policyWhoseCredentialsAreNotConfiguredFailsClosed() {
        try (RouteGuard keysOnly = RouteGuard.create(new SecuritySettings(
                AuthPolicy.PUBLIC, "refgateway", List.of(apiKey("a", READER_KEY)), Optional.empty()))) {
            Decision decision = keysOnly.check(Requests.route(AuthPolicy.JWT), Method.GET,
                                               bearer(rs256(RSA, claims().build())));

            assertThat(decision.status()).isEqualTo(Status.SERVICE_UNAVAILABLE_503);
            assertThat(decision).isInstanceOf(Decision.Unavailable.class);
        }
    }
}
