package dev.refgateway.gateway.security;

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
import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyAuthenticationTest {

    private static final RouteGuard GUARD = RouteGuard.create(new SecuritySettings(
            AuthPolicy.PUBLIC, "refgateway",
            List.of(apiKey("reader-app", READER_KEY, "users:read"),
                    apiKey("writer-app", WRITER_KEY, "users:read", "users:write")),
            Optional.empty()));
    private static final Route API_KEY_ROUTE = Requests.route(AuthPolicy.API_KEY);

    @AfterAll
    static void close() {
        GUARD.close();
    }

    @Test
    void keyInXApiKeyHeaderIdentifiesItsClient() {
        Decision decision = GUARD.check(API_KEY_ROUTE, Method.GET, headers("X-API-Key", READER_KEY));

        assertThat(decision).isInstanceOf(Decision.Allowed.class);
        Identity identity = ((Decision.Allowed) decision).identity();
        assertThat(identity.kind()).isEqualTo(Identity.Kind.API_KEY);
        assertThat(identity.clientId()).contains("reader-app");
        assertThat(identity.subject()).isEmpty();
        assertThat(identity.scopes()).containsExactly("users:read");
        assertThat(identity.principal()).isEqualTo("reader-app");
    }

    @Test
    void keyAsBearerTokenIdentifiesItsClient() {
        Decision decision = GUARD.check(API_KEY_ROUTE, Method.POST, bearer(WRITER_KEY));

        assertThat(decision).isEqualTo(new Decision.Allowed(
                Identity.apiKey("writer-app", List.of("users:read", "users:write"))));
    }

    @Test
    void bearerSchemeIsCaseInsensitiveAndSurroundingSpacesAreIgnored() {
        assertThat(GUARD.check(API_KEY_ROUTE, Method.GET, headers("Authorization", "bearer   " + WRITER_KEY)))
                .isInstanceOf(Decision.Allowed.class);
        assertThat(GUARD.check(API_KEY_ROUTE, Method.GET, headers("X-API-Key", "  " + READER_KEY + " ")))
                .isInstanceOf(Decision.Allowed.class);
    }

    @Test
    void wrongKeyIsUnauthenticatedWithInvalidTokenChallenge() {
        Decision viaHeader = GUARD.check(API_KEY_ROUTE, Method.GET, headers("X-API-Key", READER_KEY + "x"));
        Decision viaBearer = GUARD.check(API_KEY_ROUTE, Method.GET, bearer("not-a-configured-key"));

        for (Decision decision : List.of(viaHeader, viaBearer)) {
            assertThat(decision).isInstanceOf(Decision.Unauthenticated.class);
            assertThat(decision.status()).isEqualTo(Status.UNAUTHORIZED_401);
            assertThat(decision.reason()).isEqualTo("Unknown API key");
            assertThat(decision.label()).isEqualTo("unknown-api-key");
            assertThat(((Decision.Unauthenticated) decision).wwwAuthenticate()).isEqualTo(
                    "Bearer realm=\"refgateway\", error=\"invalid_token\", error_description=\"Unknown API key\"");
        }
    }

    @Test
    void clientWithoutTheRequiredScopeIsForbiddenAndTheScopeIsNamed() {
        Route writes = Requests.route(AuthPolicy.API_KEY, Map.of(), List.of("users:write"));

        Decision reader = GUARD.check(writes, Method.POST, headers("X-API-Key", READER_KEY));
        Decision writer = GUARD.check(writes, Method.POST, headers("X-API-Key", WRITER_KEY));

        assertThat(reader).isInstanceOf(Decision.Forbidden.class);
        assertThat(reader.status()).isEqualTo(Status.FORBIDDEN_403);
        assertThat(reader.reason()).isEqualTo("Missing scope users:write");
        assertThat(((Decision.Forbidden) reader).missingScopes()).containsExactly("users:write");
        assertThat(((Decision.Forbidden) reader).wwwAuthenticate()).isEqualTo(
                "Bearer realm=\"refgateway\", error=\"insufficient_scope\", error_description=\"Missing scope "
                        + "users:write\", scope=\"users:write\"");
        assertThat(writer).isInstanceOf(Decision.Allowed.class);
    }

    @Test
    void missingCredentialsGetABareChallenge() {
        Decision decision = GUARD.check(API_KEY_ROUTE, Method.GET, headers());

        assertThat(decision).isEqualTo(new Decision.Unauthenticated(AuthFailure.MISSING_CREDENTIALS,
                                                                    "Bearer realm=\"refgateway\""));
        assertThat(decision.status()).isEqualTo(Status.UNAUTHORIZED_401);
        assertThat(decision.reason()).isEqualTo("Missing credentials");
    }

    @Test
    void otherAuthorizationSchemesAndEmptyApiKeysCountAsMissing() {
        assertThat(GUARD.check(API_KEY_ROUTE, Method.GET, headers("Authorization", "Basic dXNlcjpwYXNz")))
                .extracting(Decision::label).isEqualTo("missing-credentials");
        assertThat(GUARD.check(API_KEY_ROUTE, Method.GET, headers("X-API-Key", "  ")))
                .extracting(Decision::label).isEqualTo("missing-credentials");
        // "Bearerx" is not the Bearer scheme
        assertThat(GUARD.check(API_KEY_ROUTE, Method.GET, headers("Authorization", "Bearerx " + READER_KEY)))
                .extracting(Decision::label).isEqualTo("missing-credentials");
    }

    @Test
    void basicAuthorizationForTheBackendDoesNotStopAnApiKey() {
        Decision decision = GUARD.check(API_KEY_ROUTE, Method.GET,
                                        headers("Authorization", "Basic dXNlcjpwYXNz", "X-API-Key", READER_KEY));

        assertThat(decision).isInstanceOf(Decision.Allowed.class);
    }

    @Test
    void twoCredentialsAreABadRequest() {
        Decision bearerAndHeader = GUARD.check(API_KEY_ROUTE, Method.GET,
                                               headers("Authorization", "Bearer " + READER_KEY,
                                                       "X-API-Key", READER_KEY));
        Decision twoAuthorizations = GUARD.check(API_KEY_ROUTE, Method.GET,
                                                 headers("Authorization", "Bearer " + READER_KEY,
                                                         "Authorization", "Bearer " + WRITER_KEY));
        Decision twoApiKeys = GUARD.check(API_KEY_ROUTE, Method.GET,
                                          headers("X-API-Key", READER_KEY, "X-API-Key", WRITER_KEY));

        for (Decision decision : List.of(bearerAndHeader, twoAuthorizations, twoApiKeys)) {
            assertThat(decision.status()).isEqualTo(Status.BAD_REQUEST_400);
            assertThat(decision.label()).isEqualTo("multiple-credentials");
            assertThat(((Decision.Unauthenticated) decision).wwwAuthenticate()).isEqualTo(
                    "Bearer realm=\"refgateway\", error=\"invalid_request\", error_description=\"More than one "
                            + "credential in the request\"");
        }
    }

    @Test
    void malformedBearerValueIsABadRequest() {
        for (String value : List.of("Bearer", "Bearer    ", "Bearer a b", "Bearer a,b", "Bearer =abc", "Bearer ab=c",
                                    "Bearer \"quoted\"")) {
            Decision decision = GUARD.check(API_KEY_ROUTE, Method.GET, headers("Authorization", value));

            assertThat(decision.label()).as(value).isEqualTo("malformed-authorization");
            assertThat(decision.status()).as(value).isEqualTo(Status.BAD_REQUEST_400);
        }
    }

    @Test
    void apiKeyOnAJwtOnlyRouteIsNotAccepted() {
        RouteGuard guard = RouteGuard.create(new SecuritySettings(
                AuthPolicy.PUBLIC, "refgateway", List.of(apiKey("reader-app", READER_KEY, "users:read")),
                Optional.of(JwtAuthenticationTest.staticRsaSettings())));
        try (guard) {
            Route jwtRoute = Requests.route(AuthPolicy.JWT);

            assertThat(guard.check(jwtRoute, Method.GET, headers("X-API-Key", READER_KEY)).label())
                    .isEqualTo("missing-credentials");
            assertThat(guard.check(jwtRoute, Method.GET, bearer(READER_KEY)).label()).isEqualTo("malformed-token");
        }
    }
}
