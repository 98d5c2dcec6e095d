package dev.refgateway.gateway.security;

import java.util.List;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;

import org.junit.jupiter.api.Test;

import static dev.refgateway.gateway.security.Requests.headers;
import static org.assertj.core.api.Assertions.assertThat;

class IdentityHeadersTest {

    @Test
    void identityHeadersAreDocumentedNames() {
        assertThat(IdentityHeaders.NAMES).extracting(name -> name.defaultCase())
                .containsExactly("X-Auth-Client-Id", "X-Auth-Subject", "X-Auth-Scopes");
    }

    @Test
    void spoofedIdentityHeadersAreStrippedWhateverTheirCase() {
        WritableHeaders<?> upstream = headers("x-auth-client-id", "admin", "X-AUTH-SUBJECT", "root",
                                              "X-Auth-Scopes", "everything", "X-Auth-Scopes", "more",
                                              "X-API-Key", "secret", "Accept", "application/json");

        IdentityHeaders.strip(upstream);

        assertThat(upstream.toMap().keySet()).containsExactly("Accept");
    }

    @Test
    void anonymousIdentityWritesNothingButStillStrips() {
        WritableHeaders<?> upstream = headers("X-Auth-Client-Id", "admin", "Authorization", "Bearer abc");

        IdentityHeaders.write(Identity.ANONYMOUS, upstream);

        assertThat(upstream.contains(IdentityHeaders.CLIENT_ID)).isFalse();
        assertThat(upstream.get(HeaderNames.AUTHORIZATION).get()).isEqualTo("Bearer abc");
    }

    @Test
    void apiKeyIdentityReplacesSpoofedHeadersAndTheKeyNeverReachesTheBackend() {
        WritableHeaders<?> viaBearer = headers("Authorization", "Bearer the-key", "X-Auth-Client-Id", "admin",
                                               "X-Auth-Subject", "root");
        WritableHeaders<?> viaHeader = headers("X-API-Key", "the-key", "Authorization", "Basic dXNlcjpwYXNz");
        Identity identity = Identity.apiKey("reader-app", List.of("users:read", "orders:read"));

        IdentityHeaders.write(identity, viaBearer);
        IdentityHeaders.write(identity, viaHeader);

        assertThat(viaBearer.toMap()).containsOnlyKeys("X-Auth-Client-Id", "X-Auth-Scopes");
        assertThat(viaBearer.get(IdentityHeaders.CLIENT_ID).allValues()).containsExactly("reader-app");
        assertThat(viaBearer.get(IdentityHeaders.SCOPES).get()).isEqualTo("users:read orders:read");
        assertThat(viaHeader.contains(IdentityHeaders.X_API_KEY)).isFalse();
        // Basic credentials were not the gateway's: they stay for the backend.
        assertThat(viaHeader.get(HeaderNames.AUTHORIZATION).get()).isEqualTo("Basic dXNlcjpwYXNz");
    }

    @Test
    void jwtIdentitySendsSubjectClientAndScopesAndKeepsTheToken() {
        WritableHeaders<?> upstream = headers("Authorization", "Bearer a.b.c", "X-Auth-Subject", "root");
        Identity identity = Identity.jwt("alice", Optional.of("web-app"), List.of("users:read"));

        IdentityHeaders.write(identity, upstream);

        assertThat(upstream.get(IdentityHeaders.SUBJECT).allValues()).containsExactly("alice");
        assertThat(upstream.get(IdentityHeaders.CLIENT_ID).get()).isEqualTo("web-app");
        assertThat(upstream.get(IdentityHeaders.SCOPES).get()).isEqualTo("users:read");
        assertThat(upstream.get(HeaderNames.AUTHORIZATION).get()).isEqualTo("Bearer a.b.c");
    }

    @Test
    void jwtWithoutClientIdOrScopesSendsTheSubjectOnly() {
        WritableHeaders<?> upstream = headers("X-Auth-Client-Id", "admin", "X-Auth-Scopes", "all");

        IdentityHeaders.write(Identity.jwt("alice", Optional.empty(), List.of()), upstream);

        assertThat(upstream.toMap()).containsOnlyKeys("X-Auth-Subject");
    }
}
