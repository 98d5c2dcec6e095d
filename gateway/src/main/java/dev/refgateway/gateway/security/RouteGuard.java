package dev.refgateway.gateway.security;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import dev.refgateway.gateway.routing.AuthPolicy;
import dev.refgateway.gateway.routing.Route;
import dev.refgateway.gateway.routing.RouteAuth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Method;

/**
 * Decides whether a request may use its route: authentication by the route's {@link AuthPolicy}, then the scopes
 * its method needs. Built once from the settings; {@link #check} is safe to call from any number of threads and takes
 * no lock once the JWT keys are cached.
 * <pre>
 * public          → Allowed(ANONYMOUS); credentials are not looked at
 * api-key         → X-API-Key: KEY, or Authorization: Bearer KEY
 * jwt             → Authorization: Bearer JWT
 * any-of          → either; a bearer value that is a configured API key is one, anything else is read as a JWT
 * two credentials (Bearer and X-API-Key, or two Authorization headers) → 400 invalid_request
 * authenticated, scopes missing → Forbidden naming them
 * </pre>
 * Use from the proxy:
 * <pre>{@code
 * Decision decision = guard.check(route, method, req.headers());
 * if (!(decision instanceof Decision.Allowed allowed)) {
 *     // 401/400/403 with WWW-Authenticate and problem+json, or 503; never forwarded
 * }
 * // building the upstream request, after copying the client's headers:
 * IdentityHeaders.write(allowed.identity(), upstreamHeaders);
 * }</pre>
 */
public final class RouteGuard implements AutoCloseable {

    private static final Logger LOG = System.getLogger(RouteGuard.class.getName());
    private static final Decision.Allowed ANONYMOUS = new Decision.Allowed(Identity.ANONYMOUS);
    private static final Decision.Unavailable NOT_CONFIGURED =
            new Decision.Unavailable("Authentication for this route is not configured");

    private final Challenges challenges;
    private final ApiKeyAuthenticator apiKeys;
    private final JwtAuthenticator jwt;

    private RouteGuard(Challenges challenges, ApiKeyAuthenticator apiKeys, JwtAuthenticator jwt) {
        this.challenges = challenges;
        this.apiKeys = apiKeys;
        this.jwt = jwt;
    }

    /**
     * A guard accepting the credentials of {@code settings}. Logs a warning when HS256 development tokens are
     * accepted, or JWKS keys come over plain HTTP from another host. JWKS keys are fetched on the first JWT.
     */
    public static RouteGuard create(SecuritySettings settings) {
        return create(settings, Clock.systemUTC());
    }

    static RouteGuard create(SecuritySettings settings, Clock clock) {
        Challenges challenges = new Challenges(settings.realm());
        ApiKeyAuthenticator apiKeys = settings.apiKeys().isEmpty() ? null : new ApiKeyAuthenticator(settings.apiKeys());
        JwtAuthenticator jwt = settings.jwt().map(j -> new JwtAuthenticator(j, challenges, clock)).orElse(null);
        LOG.log(Level.INFO, "Authentication: {0} API key(s), JWT {1}, default policy {2}",
                apiKeys == null ? 0 : apiKeys.size(),
                settings.jwt().map(j -> "from " + j.issuer()).orElse("off"),
                settings.defaultPolicy().configName());
        return new RouteGuard(challenges, apiKeys, jwt);
    }

    /**
     * Whether a request may use {@code route}.
     *
     * @param route   the matched route
     * @param method  the request method (scopes may differ per method)
     * @param headers the client's request headers
     * @return {@link Decision.Allowed} to forward; anything else is answered by the gateway
     */
    public Decision check(Route route, Method method, Headers headers) {
        RouteAuth auth = route.auth();
        if (auth.policy() == AuthPolicy.PUBLIC) {
            return ANONYMOUS;
        }
        Decision authenticated = authenticate(auth.policy(), headers);
        if (!(authenticated instanceof Decision.Allowed allowed)) {
            return authenticated;
        }
        return authorize(allowed, auth.requiredScopes(method));
    }

    /**
     * Whether {@code Authorization: Bearer} carries one of the configured API keys. Such a header is removed before
     * forwarding on every route, public ones included: an API key is the gateway's credential, never an instance's
     * business (a JWT stays, for the instance to verify again).
     */
    public boolean carriesApiKey(Headers headers) {
        if (apiKeys == null || !headers.contains(HeaderNames.AUTHORIZATION)) {
            return false;
        }
        Credentials credentials = Credentials.read(headers, false);
        return credentials.bearer() != null && apiKeys.find(credentials.bearer()) != null;
    }

    /** Stops the JWKS background refresh. */
    @Override
    public void close() {
        if (jwt == null) {
            return;
        }
        try {
            jwt.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "Closing the JWKS source failed", e);
        }
    }

    /** JWKS fetches attempted so far (for tests and diagnostics). */
    long jwksFetches() {
        return jwt == null ? 0 : jwt.jwksFetches();
    }

    private Decision authenticate(AuthPolicy policy, Headers headers) {
        boolean takesKeys = policy.acceptsApiKeys() && apiKeys != null;
        boolean takesJwt = policy.acceptsJwt() && jwt != null;
        if (!takesKeys && !takesJwt) {
            // Start-up validation prevents this; if settings were built in code, fail closed.
            return NOT_CONFIGURED;
        }
        Credentials credentials = Credentials.read(headers, takesKeys);
        if (credentials.failure() != null) {
            return challenges.unauthenticated(credentials.failure());
        }
        if (credentials.apiKey() != null) {
            return apiKey(credentials.apiKey());
        }
        String bearer = credentials.bearer();
        if (bearer == null) {
            return challenges.unauthenticated(AuthFailure.MISSING_CREDENTIALS);
        }
        if (!takesJwt) {
            return apiKey(bearer);
        }
        if (takesKeys) {
            Identity identity = apiKeys.find(bearer);
            if (identity != null) {
                return new Decision.Allowed(identity);
            }
            if (!looksLikeJwt(bearer)) {
                return challenges.unauthenticated(AuthFailure.UNKNOWN_API_KEY);
            }
        }
        return jwt.authenticate(bearer);
    }

    private Decision apiKey(String key) {
        Identity identity = apiKeys.find(key);
        return identity == null
                ? challenges.unauthenticated(AuthFailure.UNKNOWN_API_KEY)
                : new Decision.Allowed(identity);
    }

    private Decision authorize(Decision.Allowed allowed, List<String> required) {
        if (required.isEmpty()) {
            return allowed;
        }
        List<String> missing = null;
        for (String scope : required) {
            if (!allowed.identity().hasScope(scope)) {
                if (missing == null) {
                    missing = new ArrayList<>(required.size());
                }
                missing.add(scope);
            }
        }
        return missing == null ? allowed : challenges.forbidden(missing, required);
    }

    // A compact JWS has exactly two dots.
    private static boolean looksLikeJwt(String token) {
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                dots++;
            }
        }
        return dots == 2;
    }

    @Override
    public String toString() {
        return "RouteGuard[apiKeys=" + (apiKeys == null ? 0 : apiKeys.size()) + ", jwt=" + (jwt != null) + "]";
    }
}
