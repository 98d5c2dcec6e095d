package dev.refgateway.gateway.security;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Verifies a bearer JWT and turns it into an {@link Identity}, with nimbus's {@link DefaultJWTProcessor}.
 * <p>
 * Before the processor runs, the header is checked here: {@code alg: none} and any algorithm not accepted for the
 * configured keys are refused outright, so that a token cannot choose how it is verified (the classic confusion: an
 * HS256 token "signed" with the RSA public key as HMAC secret). The processor's key selector is restricted to the
 * same algorithms, so the check is made twice. Claims are checked by {@link ClaimsCheck}.
 * <p>
 * Identity: {@code sub}; client id from {@code client_id}, else {@code azp}; scopes from {@code scope}
 * (space-separated string, or an array), else {@code scp} (array, or a space-separated string). Values that could not
 * travel safely in a header refuse the token.
 */
final class JwtAuthenticator implements Closeable {

    private static final Logger LOG = System.getLogger(JwtAuthenticator.class.getName());
    private static final JOSEObjectType ACCESS_TOKEN = new JOSEObjectType("at+jwt");
    private static final Set<JOSEObjectType> TYPES = Set.of(JOSEObjectType.JWT, ACCESS_TOKEN);
    private static final int MAX_CLAIM_LENGTH = 255;
    private static final List<String> CLIENT_ID_CLAIMS = List.of("client_id", "azp");

    private final JwtKeys keys;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final Challenges challenges;
    private final Decision.Unavailable unavailable = new Decision.Unavailable("Token signing keys unavailable");

    JwtAuthenticator(JwtSettings settings, Challenges challenges, Clock clock) {
        this.keys = JwtKeys.create(settings);
        this.challenges = challenges;
        this.processor = new DefaultJWTProcessor<>();
        // JWT (RFC 7519), at+jwt (RFC 9068 access tokens), or no typ at all.
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, ACCESS_TOKEN, null));
        processor.setJWSKeySelector(keys.selector());
        processor.setJWTClaimsSetVerifier(new ClaimsCheck(settings.issuer(), settings.audiences(),
                                                          settings.clockSkew(), clock));
    }

    /** {@link Decision.Allowed} with the token's identity, or why not. */
    Decision authenticate(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException | RuntimeException e) {
            return refuse(AuthFailure.MALFORMED_TOKEN);
        }
        if (jwt instanceof PlainJWT) {
            return refuse(AuthFailure.UNSIGNED_TOKEN);
        }
        if (!(jwt instanceof SignedJWT signed)) {
            return refuse(AuthFailure.MALFORMED_TOKEN); // encrypted: not supported
        }
        JWSHeader header = signed.getHeader();
        if (!keys.algorithms().contains(header.getAlgorithm())) {
            return refuse(AuthFailure.ALGORITHM_NOT_ALLOWED);
        }
        if (header.getType() != null && !TYPES.contains(header.getType())) {
            return refuse(AuthFailure.WRONG_TYPE);
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(signed, null);
        } catch (TokenRejected e) {
            return refuse(e.failure());
        } catch (BadJWSException e) {
            return refuse(AuthFailure.BAD_SIGNATURE);
        } catch (BadJWTException e) {
            return refuse(AuthFailure.MALFORMED_TOKEN);
        } catch (BadJOSEException e) {
            // "Another algorithm expected, or no matching key(s) found": the kid is not among the keys, even after a
            // re-fetch of the JWKS.
            return refuse(AuthFailure.UNKNOWN_KEY);
        } catch (RateLimitReachedException e) {
            // A re-fetch was due but refused: the endpoint was asked very recently.
            return keys.lastFetchFailed() ? unavailable : refuse(AuthFailure.UNKNOWN_KEY);
        } catch (KeySourceException e) {
            return unavailable;
        } catch (JOSEException e) {
            return refuse(AuthFailure.BAD_SIGNATURE);
        } catch (RuntimeException e) {
            // Whatever a client sends must not become a 500.
            LOG.log(Level.DEBUG, "JWT refused: unexpected " + e.getClass().getName());
            return refuse(AuthFailure.MALFORMED_TOKEN);
        }
        return identity(claims);
    }

    /** JWKS fetches attempted so far. */
    long jwksFetches() {
        return keys.fetchCount();
    }

    @Override
    public void close() throws IOException {
        keys.close();
    }

    private Decision identity(JWTClaimsSet claims) {
        String subject = claims.getSubject();
        if (!isHeaderSafe(subject)) {
            return refuse(AuthFailure.INVALID_CLAIMS);
        }
        Optional<String> clientId = Optional.empty();
        for (String name : CLIENT_ID_CLAIMS) {
            Object value = claims.getClaim(name);
            if (value == null) {
                continue;
            }
            if (!(value instanceof String text) || !isHeaderSafe(text)) {
                return refuse(AuthFailure.INVALID_CLAIMS);
            }
            clientId = Optional.of(text);
            break;
        }
        Object scopeClaim = claims.getClaim("scope");
        if (scopeClaim == null) {
            scopeClaim = claims.getClaim("scp");
        }
        List<String> scopes = scopes(scopeClaim);
        if (scopes == null) {
            return refuse(AuthFailure.INVALID_CLAIMS);
        }
        return new Decision.Allowed(Identity.jwt(subject, clientId, scopes));
    }

    /** The scopes of a {@code scope} / {@code scp} claim; null when the claim is malformed. */
    private static List<String> scopes(Object claim) {
        List<String> scopes = new ArrayList<>();
        if (claim == null) {
            return scopes;
        }
        if (claim instanceof String text) {
            for (String scope : text.split(" ")) {
                if (!scope.isEmpty()) {
                    scopes.add(scope);
                }
            }
        } else if (claim instanceof List<?> list) {
            for (Object element : list) {
                if (!(element instanceof String scope)) {
                    return null;
                }
                scopes.add(scope);
            }
        } else {
            return null;
        }
        for (String scope : scopes) {
            if (!isScope(scope)) {
                return null;
            }
        }
        return scopes;
    }

    // Printable ASCII, no leading or trailing space: goes into a header unchanged.
    private static boolean isHeaderSafe(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_CLAIM_LENGTH
                || text.charAt(0) == ' ' || text.charAt(text.length() - 1) == ' ') {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    // RFC 6749 scope-token: %x21 / %x23-5B / %x5D-7E
    private static boolean isScope(String scope) {
        if (scope.length() > 128) {
            return false;
        }
        for (int i = 0; i < scope.length(); i++) {
            char c = scope.charAt(i);
            if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private Decision refuse(AuthFailure failure) {
        return challenges.unauthenticated(failure);
    }
}
