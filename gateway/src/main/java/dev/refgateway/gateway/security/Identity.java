package dev.refgateway.gateway.security;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who made a request, as established by the gateway. Holds no credential, so it may be logged.
 *
 * @param kind     how the caller authenticated
 * @param clientId the API key's client, or the JWT's {@code client_id} (else {@code azp}) claim
 * @param subject  the JWT's {@code sub}; empty for API keys
 * @param scopes   what the caller may do, in the order configured or granted
 */
public record Identity(Kind kind, Optional<String> clientId, Optional<String> subject, Set<String> scopes) {

    /** A caller on a public route; credentials, if any, were not looked at. */
    public static final Identity ANONYMOUS = new Identity(Kind.ANONYMOUS, Optional.empty(), Optional.empty(), Set.of());

    public Identity {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(scopes, "scopes");
        switch (kind) {
            case API_KEY -> {
                if (clientId.isEmpty()) {
                    throw new IllegalArgumentException("clientId: empty (expected: an API key's client id)");
                }
            }
            case JWT -> {
                if (subject.isEmpty()) {
                    throw new IllegalArgumentException("subject: empty (expected: a JWT's sub)");
                }
            }
            case ANONYMOUS -> {
                if (clientId.isPresent() || subject.isPresent() || !scopes.isEmpty()) {
                    throw new IllegalArgumentException("anonymous identity: " + clientId + " " + subject + " " + scopes
                            + " (expected: no client id, subject or scopes)");
                }
            }
        }
        scopes = scopes.isEmpty() ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
    }

    /** A caller with an API key of {@code clientId}. */
    public static Identity apiKey(String clientId, Collection<String> scopes) {
        return new Identity(Kind.API_KEY, Optional.of(clientId), Optional.empty(), new LinkedHashSet<>(scopes));
    }

    /** A caller with a JWT about {@code subject}. */
    public static Identity jwt(String subject, Optional<String> clientId, Collection<String> scopes) {
        return new Identity(Kind.JWT, clientId, Optional.of(subject), new LinkedHashSet<>(scopes));
    }

    /**
     * One name for the caller, for rate limiting and access logs: the client id of an API key, the subject of a JWT,
     * {@code anonymous} otherwise.
     */
    public String principal() {
        return switch (kind) {
            case API_KEY -> clientId.orElseThrow();
            case JWT -> subject.orElseThrow();
            case ANONYMOUS -> "anonymous";
        };
    }

    /** Whether the caller holds {@code scope}. */
    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /** How a caller authenticated. */
    public enum Kind {
        /** Not authenticated: a public route. */
        ANONYMOUS,
        /** An API key. */
        API_KEY,
        /** A signed JWT. */
        JWT
    }
}
