package dev.refgateway.gateway.security;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/**
 * Counts failed authentication attempts per client address ({@link FailedAuthLimit}): a token bucket per address,
 * one token per failure. Addresses live in a bounded cache — idle ones expire after a period, and beyond the limit the
 * least recently seen go first — so a flood of one-off addresses cannot grow memory without bound.
 */
public final class AuthFailureThrottle {

    private static final AuthFailureThrottle OFF = new AuthFailureThrottle(null, null);

    private final FailedAuthLimit limit;
    private final Cache<String, Bucket> buckets;

    private AuthFailureThrottle(FailedAuthLimit limit, Cache<String, Bucket> buckets) {
        this.limit = limit;
        this.buckets = buckets;
    }

    /** A throttle for {@code limit}; one that never refuses when it is disabled. */
    public static AuthFailureThrottle create(FailedAuthLimit limit) {
        if (!limit.enabled()) {
            return OFF;
        }
        return new AuthFailureThrottle(limit, Caffeine.newBuilder()
                .maximumSize(limit.maxAddresses())
                .expireAfterAccess(limit.period())
                .build());
    }

    /** Seconds until {@code address} may try again (rounded up); 0 when it may now. */
    public long secondsUntilAllowed(String address) {
        if (buckets == null || address == null) {
            return 0;
        }
        Bucket bucket = buckets.getIfPresent(address);
        if (bucket == null || bucket.getAvailableTokens() > 0) {
            return 0;
        }
        long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    /** {@code address} failed to authenticate. */
    public void failed(String address) {
        if (buckets == null || address == null) {
            return;
        }
        buckets.get(address, key -> Bucket.builder()
                        .addLimit(Bandwidth.builder().capacity(limit.failures())
                                          .refillGreedy(limit.failures(), limit.period()).build())
                        .build())
                .tryConsume(1);
    }

    /** Addresses tracked now (approximate; for tests). */
    long addresses() {
        if (buckets == null) {
            return 0;
        }
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    @Override
    public String toString() {
        return limit == null ? "AuthFailureThrottle[off]"
                : "AuthFailureThrottle[" + limit.failures() + " per " + Duration.ofNanos(limit.period().toNanos()) + "]";
    }
}
