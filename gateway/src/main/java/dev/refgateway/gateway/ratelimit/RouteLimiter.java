package dev.refgateway.gateway.ratelimit;

import java.util.function.Supplier;

import dev.refgateway.gateway.security.Identity;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * One route's limit, prepared once: the bucket configuration and the key prefixes, so that a request costs one string
 * concatenation for its key.
 * <p>
 * Keys are {@code PREFIX ROUTE ":" CAPACITY "/" REFILL "/" PERIOD_MS ":" KIND ":" CALLER}, where KIND is {@code key}
 * (an API key's client id), {@code sub} (a JWT's subject) or {@code ip} (the client address on public routes). The
 * shape of the limit is part of the key, so that after a change of configuration Redis does not keep handing out
 * buckets of the old shape, and replicas configured differently during a rollout do not fight over one bucket.
 */
final class RouteLimiter {

    private final String routeId;
    private final RateLimit limit;
    private final Supplier<BucketConfiguration> configuration;
    private final String apiKeyPrefix;
    private final String subjectPrefix;
    private final String addressPrefix;
    private final long idleNanos;

    RouteLimiter(String keyPrefix, String routeId, RateLimit limit) {
        this.routeId = routeId;
        this.limit = limit;
        BucketConfiguration shape = BucketConfiguration.builder().addLimit(bandwidth(limit)).build();
        this.configuration = () -> shape;
        String prefix = keyPrefix + routeId + ":" + limit.capacity() + "/" + limit.refill() + "/"
                + limit.period().toMillis() + ":";
        this.apiKeyPrefix = prefix + "key:";
        this.subjectPrefix = prefix + "sub:";
        this.addressPrefix = prefix + "ip:";
        this.idleNanos = limit.timeToFill().toNanos();
    }

    String routeId() {
        return routeId;
    }

    RateLimit limit() {
        return limit;
    }

    /** The shape of a new shared bucket; built once, so asking for it per request allocates nothing. */
    Supplier<BucketConfiguration> configuration() {
        return configuration;
    }

    /** How long a bucket of this route takes to fill up: an idle bucket can be forgotten after that. */
    long idleNanos() {
        return idleNanos;
    }

    /** The bucket key of a caller: who authenticated, else where the request came from. */
    String key(Identity identity, String clientIp) {
        return switch (identity.kind()) {
            case API_KEY -> apiKeyPrefix.concat(identity.clientId().orElseThrow());
            case JWT -> subjectPrefix.concat(identity.subject().orElseThrow());
            case ANONYMOUS -> addressPrefix.concat(clientIp);
        };
    }

    Bucket newLocalBucket(TimeMeter clock) {
        return Bucket.builder().addLimit(bandwidth(limit)).withCustomTimePrecision(clock).build();
    }

    Outcome outcome(ConsumptionProbe probe) {
        long reset = RateLimitHeaders.ceilSeconds(probe.getNanosToWaitForReset());
        if (probe.isConsumed()) {
            return new Outcome.Allowed(limit.capacity(), probe.getRemainingTokens(), reset);
        }
        long retryAfter = Math.max(1, RateLimitHeaders.ceilSeconds(probe.getNanosToWaitForRefill()));
        return new Outcome.Limited(limit.capacity(), Math.max(reset, retryAfter), retryAfter);
    }

    // Greedy refill: tokens come back one by one over the period, not all at its end, so there is no window edge at
    // which a caller could send two bursts back to back.
    private static Bandwidth bandwidth(RateLimit limit) {
        return Bandwidth.builder()
                .capacity(limit.capacity())
                .refillGreedy(limit.refill(), limit.period())
                .build();
    }
}
