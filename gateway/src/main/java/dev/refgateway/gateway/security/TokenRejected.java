package dev.refgateway.gateway.security;

import com.nimbusds.jwt.proc.BadJWTException;

/**
 * A token's claims failed a check; carries the client-safe {@link AuthFailure}. Thrown through nimbus's processor,
 * hence a {@link BadJWTException}. Without a stack trace: refusing bad tokens is routine, and must stay cheap.
 */
final class TokenRejected extends BadJWTException {

    private final transient AuthFailure failure;

    TokenRejected(AuthFailure failure) {
        super(failure.detail());
        this.failure = failure;
    }

    AuthFailure failure() {
        return failure;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
