package dev.refgateway.gateway.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;

/**
 * Checks the claims of a token whose signature verified: {@code exp} required and not passed, {@code nbf} not ahead
 * (both with the clock skew), {@code iss} exactly the issuer, {@code aud} naming one of the audiences when any are
 * configured, {@code sub} present. Each failure has its own {@link AuthFailure}, which nimbus's own verifier (one
 * message string for all) would not give.
 */
final class ClaimsCheck implements JWTClaimsSetVerifier<SecurityContext> {

    private final String issuer;
    private final Set<String> audiences;
    private final long skewMillis;
    private final Clock clock;

    ClaimsCheck(String issuer, Set<String> audiences, Duration skew, Clock clock) {
        this.issuer = issuer;
        this.audiences = Set.copyOf(audiences);
        this.skewMillis = skew.toMillis();
        this.clock = clock;
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws TokenRejected {
        long now = clock.millis();
        Date expiry = claims.getExpirationTime();
        if (expiry == null) {
            throw new TokenRejected(AuthFailure.NO_EXPIRY);
        }
        if (now - skewMillis >= expiry.getTime()) {
            throw new TokenRejected(AuthFailure.EXPIRED);
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now + skewMillis < notBefore.getTime()) {
            throw new TokenRejected(AuthFailure.NOT_YET_VALID);
        }
        if (!issuer.equals(claims.getIssuer())) {
            throw new TokenRejected(AuthFailure.WRONG_ISSUER);
        }
        if (!audiences.isEmpty() && !containsAny(claims.getAudience(), audiences)) {
            throw new TokenRejected(AuthFailure.WRONG_AUDIENCE);
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new TokenRejected(AuthFailure.NO_SUBJECT);
        }
    }

    private static boolean containsAny(List<String> audience, Set<String> accepted) {
        for (String value : audience) {
            if (accepted.contains(value)) {
                return true;
            }
        }
        return false;
    }
}
