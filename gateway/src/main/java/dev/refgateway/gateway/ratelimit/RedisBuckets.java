package dev.refgateway.gateway.ratelimit;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.RemoteBucketBuilder;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

/**
 * Buckets in Redis, shared by every replica (Bucket4j's compare-and-swap proxy over Lettuce), and the bookkeeping of
 * Redis outages.
 * <p>
 * A request never waits for a connection to be made: the first one is tried at start-up, and if Redis is not there
 * a background thread retries once a second; once connected, Lettuce reconnects by itself and, meanwhile, rejects
 * commands at once instead of queueing them. A command that does answer waits at most the configured timeout.
 * <p>
 * While Redis is unavailable, {@link #tryConsume} returns {@code null} at once; one request a second probes Redis,
 * and the first success ends the outage. Each outage logs one warning when it starts and one line when it ends, and
 * counts once in {@code onOutage}, however many requests it touched.
 */
final class RedisBuckets implements AutoCloseable {

    private static final Logger LOG = System.getLogger(RateLimiter.class.getName());
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration MIN_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    // Keys expire this long after their bucket would be full again: an idle caller costs Redis nothing for long.
    private static final Duration KEEP_AFTER_FULL = Duration.ofSeconds(5);

    private final RateLimitRedisSettings settings;
    private final String failureMode;
    private final Runnable onOutage;
    private final ClientResources resources;
    private final RedisClient client;
    private final ScheduledExecutorService connector;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong nextProbeNanos = new AtomicLong();
    private volatile long downSinceNanos;
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile RemoteBucketBuilder<String> buckets;
    private volatile boolean closed;

    private RedisBuckets(RateLimitRedisSettings settings, Runnable onOutage) {
        this.settings = settings;
        this.onOutage = onOutage;
        this.failureMode = settings.onFailure() == RateLimitRedisSettings.OnFailure.FAIL_OPEN
                ? "fail-open: each gateway limits with its own buckets until Redis answers again"
                : "fail-closed: limited routes answer 503 until Redis answers again";
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                // Lettuce's default backs off up to 30 s; a limiter wants its shared buckets back soon.
                .reconnectDelay(Delay.constant(PROBE_INTERVAL))
                .build();
        RedisURI uri = RedisURI.create(settings.url());
        uri.setTimeout(settings.timeout());
        this.client = RedisClient.create(resources, uri);
        Duration connectTimeout = settings.timeout().compareTo(MIN_CONNECT_TIMEOUT) < 0
                ? MIN_CONNECT_TIMEOUT : settings.timeout();
        client.setOptions(ClientOptions.builder()
                                  .autoReconnect(true)
                                  .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                                  .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
                                  .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
                                  .build());
        this.connector = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("rate-limit-redis-connect").factory());
    }

    /**
     * Connects to Redis, or starts retrying in the background when it does not answer (an outage from the start).
     *
     * @param onOutage called once at the start of each outage (for a metric)
     */
    static RedisBuckets start(RateLimitRedisSettings settings, Runnable onOutage) {
        RedisBuckets redis = new RedisBuckets(settings, onOutage);
        if (!redis.connect()) {
            redis.connector.scheduleWithFixedDelay(redis::connectInBackground, PROBE_INTERVAL.toMillis(),
                                                   PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
        return redis;
    }

    /**
     * Takes one token from the shared bucket of {@code key}, creating it full if it does not exist.
     *
     * @return the result, or {@code null} when Redis cannot answer now
     */
    ConsumptionProbe tryConsume(String key, Supplier<BucketConfiguration> configuration) {
        RemoteBucketBuilder<String> shared = buckets;
        if (shared == null) {
            return null; // not connected yet; the background connector logged the outage
        }
        if (down.get() && !mayProbe()) {
            return null;
        }
        try {
            ConsumptionProbe probe = shared.build(key, configuration).tryConsumeAndReturnRemaining(1);
            if (down.get()) {
                outageEnded();
            }
            return probe;
        } catch (RuntimeException e) {
            outageStarted(e);
            return null;
        }
    }

    /** Whether Redis answered the last time it was asked. */
    boolean available() {
        return buckets != null && !down.get();
    }

    @Override
    public void close() {
        closed = true;
        connector.shutdownNow();
        StatefulRedisConnection<String, byte[]> open = connection;
        if (open != null) {
            open.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private boolean connect() {
        try {
            StatefulRedisConnection<String, byte[]> opened =
                    client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            connection = opened;
            buckets = Bucket4jLettuce.casBasedBuilder(opened)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                            KEEP_AFTER_FULL))
                    .requestTimeout(settings.timeout())
                    .build()
                    .builder();
            return true;
        } catch (RuntimeException e) {
            outageStarted(e);
            return false;
        }
    }

    private void connectInBackground() {
        if (closed || buckets != null) {
            connector.shutdown();
            return;
        }
        if (connect()) {
            outageEnded();
            connector.shutdown();
        }
    }

    // One request per interval goes to Redis while it is down; the others do not wait for it.
    private boolean mayProbe() {
        long now = System.nanoTime();
        long next = nextProbeNanos.get();
        return now - next >= 0 && nextProbeNanos.compareAndSet(next, now + PROBE_INTERVAL.toNanos());
    }

    private void outageStarted(RuntimeException cause) {
        nextProbeNanos.set(System.nanoTime() + PROBE_INTERVAL.toNanos());
        if (!down.compareAndSet(false, true)) {
            return;
        }
        downSinceNanos = System.nanoTime();
        onOutage.run();
        LOG.log(Level.WARNING, "Rate limiting: Redis at {0} does not answer ({1}); {2}",
                settings.displayUrl(), describe(cause), failureMode);
    }

    private void outageEnded() {
        if (!down.compareAndSet(true, false)) {
            return;
        }
        long seconds = Math.max(1, RateLimitHeaders.ceilSeconds(System.nanoTime() - downSinceNanos));
        LOG.log(Level.INFO, "Rate limiting: Redis at {0} answers again after about {1} s; buckets are shared again",
                settings.displayUrl(), seconds);
    }

    // The innermost message says what went wrong (connection refused, timeout) without a stack trace per outage.
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
