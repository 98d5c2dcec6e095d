package dev.refgateway.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * Buckets in this replica's memory, in a bounded cache: a bucket left alone until it is full again is dropped (it
 * would allow the same as a new one), and beyond {@code maxBuckets} the least recently used go first, so that a
 * stream of one-off client addresses cannot grow memory without bound. Bucket4j's local buckets are lock-free; a
 * request takes a lock only when its caller has no bucket yet.
 */
final class LocalBuckets {

    private final Cache<String, Entry> cache;
    private final TimeMeter clock;

    LocalBuckets(int maxBuckets, TimeMeter clock) {
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxBuckets)
                .expireAfter(new IdleUntilFull())
                .build();
    }

    /** Takes one token from the bucket of {@code key}, creating it full if it does not exist. */
    ConsumptionProbe tryConsume(String key, RouteLimiter route) {
        Entry entry = cache.getIfPresent(key);
        if (entry == null) {
            // Only a first request (or one after its bucket was dropped) pays for the capturing lambda.
            entry = cache.get(key, k -> new Entry(route.newLocalBucket(clock), route.idleNanos()));
        }
        return entry.bucket.tryConsumeAndReturnRemaining(1);
    }

    /** Buckets held right now (approximate; for tests and diagnostics). */
    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    private record Entry(Bucket bucket, long idleNanos) {
    }

    private static final class IdleUntilFull implements Expiry<String, Entry> {

        @Override
        public long expireAfterCreate(String key, Entry entry, long currentTime) {
            return entry.idleNanos;
        }

        @Override
        public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
            return entry.idleNanos;
        }

        @Override
        public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
            return entry.idleNanos;
        }
    }
}
