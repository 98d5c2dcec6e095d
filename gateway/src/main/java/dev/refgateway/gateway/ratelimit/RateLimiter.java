package dev.refgateway.gateway.ratelimit;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import dev.refgateway.gateway.routing.Route;
import dev.refgateway.gateway.security.Identity;

import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * Token buckets per route and caller (Bucket4j). The caller is whoever authenticated — the API key's client id or
 * the JWT's subject — and on public routes the client's address (as
 * {@link dev.refgateway.gateway.relay.headers.ForwardedHeaders#clientIp} works it out, believing
 * {@code X-Forwarded-For} from trusted proxies only). Each request takes one token.
 * <pre>
 * route not limited                 → Unlimited, no headers
 * token taken                       → Allowed   (RateLimit-Limit / -Remaining / -Reset)
 * bucket empty                      → Limited   (429, the same headers with Remaining 0, and Retry-After)
 * shared buckets, Redis unavailable → fail-open: this replica's own buckets decide; fail-closed: Unavailable (503)
 * </pre>
 * Built once at start-up; {@link #check} is safe from any number of threads and takes no lock once a caller has a
 * bucket. Use from the proxy, after authentication:
 * <pre>{@code
 * Outcome outcome = limiter.check(route, identity, clientIp);
 * RateLimitHeaders.write(outcome, res.headers());
 * if (!outcome.allowed()) {
 *     // 429 rate-limited or 503 rate-limiter-unavailable; never forwarded
 * }
 * }</pre>
 */
public final class RateLimiter implements AutoCloseable {

    private static final Logger LOG = System.getLogger(RateLimiter.class.getName());
    private static final Outcome UNAVAILABLE = new Outcome.Unavailable(1);

    private final Map<String, RouteLimiter> routes;
    private final LocalBuckets local;
    private final RedisBuckets redis;
    private final boolean failOpen;
    private final Events events;

    private RateLimiter(Map<String, RouteLimiter> routes, LocalBuckets local, RedisBuckets redis, boolean failOpen,
                        Events events) {
        this.routes = routes;
        this.local = local;
        this.redis = redis;
        this.failOpen = failOpen;
        this.events = events;
    }

    /**
     * A limiter for the limited routes of {@code settings}. With Redis configured it connects (or, when Redis does
     * not answer, logs the outage and keeps trying in the background: the gateway starts either way).
     */
    public static RateLimiter create(RateLimitSettings settings, Events events) {
        return create(settings, events, TimeMeter.SYSTEM_NANOTIME);
    }

    /** With a clock for the local buckets, for tests. */
    static RateLimiter create(RateLimitSettings settings, Events events, TimeMeter clock) {
        Objects.requireNonNull(events, "events");
        String keyPrefix = settings.redis().map(RateLimitRedisSettings::keyPrefix)
                .orElse(RateLimitRedisSettings.KEY_PREFIX.defaultValue());
        Map<String, RouteLimiter> routes = new HashMap<>();
        for (Map.Entry<String, RateLimit> entry : settings.routes().entrySet()) {
            routes.put(entry.getKey(), new RouteLimiter(keyPrefix, entry.getKey(), entry.getValue()));
        }
        if (routes.isEmpty()) {
            LOG.log(Level.INFO, "Rate limiting: off (no route has a limit)");
            return new RateLimiter(Map.of(), null, null, true, events);
        }
        LocalBuckets local = new LocalBuckets(settings.maxLocalBuckets(), clock);
        RedisBuckets redis = null;
        boolean failOpen = true;
        if (settings.redis().isPresent()) {
            RateLimitRedisSettings redisSettings = settings.redis().get();
            failOpen = redisSettings.onFailure() == RateLimitRedisSettings.OnFailure.FAIL_OPEN;
            LOG.log(Level.INFO, "Rate limiting: {0}; buckets shared in Redis at {1} (timeout {2} ms, {3})",
                    settings.routes(), redisSettings.displayUrl(), redisSettings.timeout().toMillis(),
                    redisSettings.onFailure().configName());
            redis = RedisBuckets.start(redisSettings, events::redisOutage);
        } else {
            LOG.log(Level.INFO, "Rate limiting: {0}; buckets local to this gateway (at most {1,number,#})",
                    settings.routes(), settings.maxLocalBuckets());
        }
        return new RateLimiter(Map.copyOf(routes), local, redis, failOpen, events);
    }

    /** Whether {@code route} has a limit; when not, {@link #check} is {@link Outcome.Unlimited} whatever the caller. */
    public boolean limits(Route route) {
        return routes.containsKey(route.id());
    }

    /**
     * Takes one token from the caller's bucket on {@code route}.
     *
     * @param route    the matched route
     * @param identity who authenticated ({@link Identity#ANONYMOUS} on public routes)
     * @param clientIp the client's address; used, and then required, only for anonymous callers
     */
    public Outcome check(Route route, Identity identity, String clientIp) {
        RouteLimiter limiter = routes.get(route.id());
        if (limiter == null) {
            return Outcome.unlimited();
        }
        if (identity.kind() == Identity.Kind.ANONYMOUS) {
            Objects.requireNonNull(clientIp, "clientIp");
        }
        String key = limiter.key(identity, clientIp);
        if (redis != null) {
            ConsumptionProbe shared = redis.tryConsume(key, limiter.configuration());
            if (shared != null) {
                return limiter.outcome(shared);
            }
            if (!failOpen) {
                return UNAVAILABLE;
            }
            events.fallback(limiter.routeId());
        }
        return limiter.outcome(local.tryConsume(key, limiter));
    }

    /** Whether buckets are shared through Redis and Redis answered the last time; false in local mode. */
    public boolean sharedAvailable() {
        return redis != null && redis.available();
    }

    /** Closes the Redis client, if any. */
    @Override
    public void close() {
        if (redis != null) {
            redis.close();
        }
    }

    /** Buckets this replica holds in memory (for tests). */
    long localBuckets() {
        return local == null ? 0 : local.size();
    }

    /** What the limiter reports for metrics. */
    public interface Events {

        /** Nothing reported. */
        Events NONE = new Events() {
            @Override
            public void redisOutage() {
            }

            @Override
            public void fallback(String routeId) {
            }
        };

        /** Redis stopped answering (once per outage). */
        void redisOutage();

        /** A request on {@code routeId} was decided by local buckets because Redis did not answer (fail-open). */
        void fallback(String routeId);
    }
}
