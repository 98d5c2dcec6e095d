package dev.refgateway.gateway.security;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;

/**
 * The JWKS endpoint as the cache sees it: every real fetch passes through here, so failures are logged (the cache
 * and its rate limit keep that to a few lines), counted, and remembered — a refused refresh after a failed fetch
 * means "keys unavailable", not "unknown key".
 */
final class JwksFetches implements JWKSetSource<SecurityContext> {

    private static final Logger LOG = System.getLogger(JwksFetches.class.getName());

    private final JWKSetSource<SecurityContext> endpoint;
    private final URI url;
    private final AtomicLong fetches = new AtomicLong();
    private volatile boolean lastFailed;

    JwksFetches(JWKSetSource<SecurityContext> endpoint, URI url) {
        this.endpoint = endpoint;
        this.url = url;
    }

    @Override
    public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refreshEvaluator, long currentTime, SecurityContext context)
            throws KeySourceException {
        fetches.incrementAndGet();
        try {
            JWKSet keys = endpoint.getJWKSet(refreshEvaluator, currentTime, context);
            if (lastFailed) {
                LOG.log(Level.INFO, "JWKS {0} reachable again: {1} key(s)", url, keys.size());
            } else {
                LOG.log(Level.DEBUG, "JWKS {0} fetched: {1} key(s)", url, keys.size());
            }
            lastFailed = false;
            return keys;
        } catch (KeySourceException | RuntimeException e) {
            lastFailed = true;
            LOG.log(Level.WARNING, "JWKS {0} could not be fetched: {1}", url, e.getMessage());
            throw e;
        }
    }

    /** Whether the most recent fetch failed. */
    boolean lastFailed() {
        return lastFailed;
    }

    /** Fetches attempted so far. */
    long fetches() {
        return fetches.get();
    }

    @Override
    public void close() throws IOException {
        endpoint.close();
    }
}
