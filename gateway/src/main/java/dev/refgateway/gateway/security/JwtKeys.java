package dev.refgateway.gateway.security;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jose.util.DefaultResourceRetriever;

/**
 * The verification keys of {@link JwtSettings#keys()}, as the key selector nimbus's processor asks, restricted to
 * the accepted algorithms (a key is only ever used with an algorithm of its own type: no HS256 with an RSA key).
 * <ul>
 *     <li>JWKS: {@link JWKSourceBuilder} — cached for the TTL and refreshed in the background shortly before it
 *     runs out; a token with an unknown {@code kid} triggers a re-fetch (key rotation), rate limited to about one
 *     per {@code min-refresh-interval}; if the endpoint fails, the last keys stay in use for up to ten TTLs
 *     (an identity provider's outage does not lock every client out).</li>
 *     <li>Static key: that one key for its one algorithm, whatever {@code kid} a token names.</li>
 *     <li>Development secret: HS256 with the shared secret.</li>
 * </ul>
 */
final class JwtKeys implements Closeable {

    private static final Logger LOG = System.getLogger(JwtKeys.class.getName());
    private static final int MAX_JWKS_BYTES = 512 * 1024;
    private static final long MAX_REFRESH_AHEAD_MILLIS = 30_000;

    private final JWSKeySelector<SecurityContext> selector;
    private final Set<JWSAlgorithm> algorithms;
    private final JwksFetches fetches;
    private final Closeable resources;

    private JwtKeys(JWSKeySelector<SecurityContext> selector, Set<JWSAlgorithm> algorithms, JwksFetches fetches,
                    Closeable resources) {
        this.selector = selector;
        this.algorithms = Set.copyOf(algorithms);
        this.fetches = fetches;
        this.resources = resources;
    }

    static JwtKeys create(JwtSettings settings) {
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (String name : settings.acceptedAlgorithms()) {
            algorithms.add(JWSAlgorithm.parse(name));
        }
        return switch (settings.keys()) {
            case JwtSettings.Jwks jwks -> jwks(jwks, algorithms);
            case JwtSettings.StaticKey key -> {
                JWSAlgorithm algorithm = JWSAlgorithm.parse(key.algorithm());
                yield new JwtKeys(new SingleKeyJWSKeySelector<>(algorithm, publicKey(key)), algorithms, null, null);
            }
            case JwtSettings.DevelopmentSecret secret -> {
                LOG.log(Level.WARNING, "JWT: HS256 tokens with a shared secret are accepted "
                        + "(allow-hs256-for-development). Whoever knows the secret can mint any token: never in "
                        + "production.");
                Key hmacKey = new SecretKeySpec(secret.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
                yield new JwtKeys(new SingleKeyJWSKeySelector<>(JWSAlgorithm.HS256, hmacKey), algorithms, null, null);
            }
        };
    }

    JWSKeySelector<SecurityContext> selector() {
        return selector;
    }

    /** The algorithms a token may name in its header. */
    Set<JWSAlgorithm> algorithms() {
        return algorithms;
    }

    /** Whether the last JWKS fetch failed (false without a JWKS). */
    boolean lastFetchFailed() {
        return fetches != null && fetches.lastFailed();
    }

    /** JWKS fetches attempted so far (0 without a JWKS). */
    long fetchCount() {
        return fetches == null ? 0 : fetches.fetches();
    }

    @Override
    public void close() throws IOException {
        if (resources != null) {
            resources.close();
        }
    }

    private static JwtKeys jwks(JwtSettings.Jwks jwks, Set<JWSAlgorithm> algorithms) {
        URI url = jwks.url();
        if (!"https".equalsIgnoreCase(url.getScheme()) && !isLoopback(url.getHost())) {
            LOG.log(Level.WARNING, "JWT: keys are fetched over plain HTTP from {0}; anyone on the path can replace "
                    + "them. Use https outside local development.", url);
        }
        int timeout = Math.toIntExact(jwks.timeout().toMillis());
        DefaultResourceRetriever retriever = new DefaultResourceRetriever(timeout, timeout, MAX_JWKS_BYTES);
        JwksFetches fetches;
        try {
            fetches = new JwksFetches(new URLBasedJWKSetSource<>(url.toURL(), retriever), url);
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("jwksUrl: \"" + url + "\" (expected: an http or https URL)", e);
        }
        long ttl = jwks.cacheTtl().toMillis();
        // Requests wait this long for a refresh in progress: one connect plus one read, and a little slack.
        long refreshTimeout = 2L * timeout + 1000;
        long refreshAhead = Math.min(MAX_REFRESH_AHEAD_MILLIS, ttl / 4);
        // Virtual threads: nothing to size, and they never keep the JVM alive.
        ExecutorService refresher = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("jwks-refresh-", 0).factory());
        JWKSource<SecurityContext> source = JWKSourceBuilder.create(fetches)
                .cache(ttl, refreshTimeout)
                .refreshAheadCache(refreshAhead, null, refresher, true, null, false)
                .rateLimited(jwks.minRefreshInterval().toMillis())
                .outageTolerant(ttl * 10)
                .build();
        JWSKeySelector<SecurityContext> selector = new JWSVerificationKeySelector<>(algorithms, source);
        Closeable resources = source instanceof Closeable closeable ? closeable : refresher::shutdownNow;
        return new JwtKeys(selector, algorithms, fetches, resources);
    }

    private static Key publicKey(JwtSettings.StaticKey key) {
        try {
            return ((AsymmetricJWK) key.publicKey()).toPublicKey();
        } catch (JOSEException | ClassCastException e) {
            throw new IllegalArgumentException("publicKey: " + key + " (expected: an RSA or EC public key)", e);
        }
    }

    private static boolean isLoopback(String host) {
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
                || host.equals("::1"));
    }
}
