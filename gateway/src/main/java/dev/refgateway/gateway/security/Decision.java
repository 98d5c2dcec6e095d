package dev.refgateway.gateway.security;

import java.util.List;
import java.util.Objects;

import io.helidon.http.Status;

/**
 * What {@link RouteGuard#check} decided about a request. Only {@link Allowed} may be forwarded; every other decision
 * is answered by the gateway with its {@link #status()}, the {@code WWW-Authenticate} header when it has one, and a
 * problem+json body whose detail is {@link #reason()} (client-safe: never the credential).
 */
public sealed interface Decision {

    /** The status to answer with: 200 means "forward". */
    Status status();

    /** Short client-safe explanation; empty for {@link Allowed}. */
    String reason();

    /** Stable low-cardinality name for metrics and logs, such as {@code allowed} or {@code expired}. */
    String label();

    /**
     * Forward the request, with the identity's headers.
     *
     * @param identity who the caller is ({@link Identity#ANONYMOUS} on public routes)
     */
    record Allowed(Identity identity) implements Decision {

        public Allowed {
            Objects.requireNonNull(identity, "identity");
        }

        @Override
        public Status status() {
            return Status.OK_200;
        }

        @Override
        public String reason() {
            return "";
        }

        @Override
        public String label() {
            return "allowed";
        }
    }

    /**
     * No valid credential: 401 (400 for a malformed request, RFC 6750 §3.1) with {@code wwwAuthenticate}.
     *
     * @param failure         what was wrong
     * @param wwwAuthenticate the challenge, such as {@code Bearer realm="refgateway", error="invalid_token",
     *                        error_description="Token expired"}
     */
    record Unauthenticated(AuthFailure failure, String wwwAuthenticate) implements Decision {

        public Unauthenticated {
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(wwwAuthenticate, "wwwAuthenticate");
        }

        @Override
        public Status status() {
            return failure.status();
        }

        @Override
        public String reason() {
            return failure.detail();
        }

        @Override
        public String label() {
            return failure.label();
        }
    }

    /**
     * A valid credential without the scopes the route and method need: 403 with {@code wwwAuthenticate}
     * ({@code error="insufficient_scope"} and the required {@code scope}, RFC 6750 §3.1).
     *
     * @param missingScopes   the required scopes the caller lacks
     * @param wwwAuthenticate the challenge
     */
    record Forbidden(List<String> missingScopes, String wwwAuthenticate) implements Decision {

        public Forbidden {
            missingScopes = List.copyOf(missingScopes);
            Objects.requireNonNull(wwwAuthenticate, "wwwAuthenticate");
        }

        @Override
        public Status status() {
            return Status.FORBIDDEN_403;
        }

        @Override
        public String reason() {
            return Challenges.describeMissing(missingScopes);
        }

        @Override
        public String label() {
            return "insufficient-scope";
        }
    }

    /**
     * The credential could not be checked because the JWT signing keys cannot be fetched: 503. Not the caller's
     * fault, so not a 401 that would make a client drop a good token.
     *
     * @param reason client-safe explanation
     */
    record Unavailable(String reason) implements Decision {

        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Status status() {
            return Status.SERVICE_UNAVAILABLE_503;
        }

        @Override
        public String label() {
            return "keys-unavailable";
        }
    }
}
