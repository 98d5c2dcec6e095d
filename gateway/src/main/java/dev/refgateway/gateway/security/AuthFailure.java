package dev.refgateway.gateway.security;

import java.util.Optional;

import io.helidon.http.Status;

/**
 * Why a request did not authenticate. Each failure has a stable, low-cardinality {@link #label()} for metrics and
 * logs, a short client-safe {@link #detail()} (never the credential, never anything the client sent) and the RFC 6750
 * error code of its {@code WWW-Authenticate} challenge.
 */
public enum AuthFailure {
    /** No credential the route accepts: no challenge error code (RFC 6750 §3.1). */
    MISSING_CREDENTIALS("missing-credentials", "Missing credentials", null),
    /** Two credentials (two Authorization headers, or a bearer token and X-API-Key): which one counts is unclear. */
    MULTIPLE_CREDENTIALS("multiple-credentials", "More than one credential in the request", "invalid_request"),
    /** An {@code Authorization: Bearer} header without a well-formed token. */
    MALFORMED_AUTHORIZATION("malformed-authorization", "Malformed bearer token", "invalid_request"),
    /** No configured API key has this hash. */
    UNKNOWN_API_KEY("unknown-api-key", "Unknown API key", "invalid_token"),
    /** Not a compact JWS. */
    MALFORMED_TOKEN("malformed-token", "Malformed token", "invalid_token"),
    /** {@code alg: none}. */
    UNSIGNED_TOKEN("unsigned-token", "Unsigned tokens are not accepted", "invalid_token"),
    /** An algorithm not accepted for the configured keys (HS256 against RSA keys, say). */
    ALGORITHM_NOT_ALLOWED("algorithm-not-allowed", "Token signing algorithm not accepted", "invalid_token"),
    /** A {@code typ} header other than JWT or at+jwt. */
    WRONG_TYPE("wrong-type", "Token type not accepted", "invalid_token"),
    /** No key with the token's key id, even after re-fetching the JWKS. */
    UNKNOWN_KEY("unknown-key", "Token signed with an unknown key", "invalid_token"),
    /** The signature does not verify. */
    BAD_SIGNATURE("bad-signature", "Invalid token signature", "invalid_token"),
    /** {@code exp} passed, beyond the clock skew. */
    EXPIRED("expired", "Token expired", "invalid_token"),
    /** {@code nbf} still ahead, beyond the clock skew. */
    NOT_YET_VALID("not-yet-valid", "Token not yet valid", "invalid_token"),
    /** No {@code exp}: a token that never expires is not accepted. */
    NO_EXPIRY("no-expiry", "Token has no expiry", "invalid_token"),
    /** {@code iss} is not the configured issuer. */
    WRONG_ISSUER("wrong-issuer", "Token from another issuer", "invalid_token"),
    /** {@code aud} names none of the configured audiences. */
    WRONG_AUDIENCE("wrong-audience", "Token for another audience", "invalid_token"),
    /** No {@code sub}. */
    NO_SUBJECT("no-subject", "Token has no subject", "invalid_token"),
    /** {@code sub}, {@code client_id} or the scopes hold something that cannot be passed on in a header. */
    INVALID_CLAIMS("invalid-claims", "Token claims not usable", "invalid_token");

    private final String label;
    private final String detail;
    private final String errorCode;

    AuthFailure(String label, String detail, String errorCode) {
        this.label = label;
        this.detail = detail;
        this.errorCode = errorCode;
    }

    /** Stable kebab-case name for metrics and logs. */
    public String label() {
        return label;
    }

    /** Short client-safe explanation, also the challenge's {@code error_description}. */
    public String detail() {
        return detail;
    }

    /** The RFC 6750 error code ({@code invalid_request}, {@code invalid_token}); empty when credentials are missing. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /** 400 for a malformed request ({@code invalid_request}, RFC 6750 §3.1), otherwise 401. */
    public Status status() {
        return "invalid_request".equals(errorCode) ? Status.BAD_REQUEST_400 : Status.UNAUTHORIZED_401;
    }
}
