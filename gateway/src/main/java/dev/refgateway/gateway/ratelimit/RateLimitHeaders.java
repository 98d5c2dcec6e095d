package dev.refgateway.gateway.ratelimit;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;

/**
 * The rate-limit response headers of the IETF draft "RateLimit header fields for HTTP"
 * (draft-ietf-httpapi-ratelimit-headers, the three-field form), on every response of a limited route — allowed ones
 * too, so that well-behaved clients can slow down before they hit the limit:
 * <pre>
 * RateLimit-Limit: 100        the bucket's capacity: requests a caller may send at once
 * RateLimit-Remaining: 37     requests left right now (0 on a 429)
 * RateLimit-Reset: 2          seconds until the quota is whole again (the bucket full), rounded up
 * Retry-After: 1              on 429 only: seconds until the next request can pass, rounded up, at least 1
 * </pre>
 * With a token bucket the quota comes back gradually: {@code Retry-After} is when one request passes again,
 * {@code RateLimit-Reset} when all of {@code RateLimit-Limit} are available again. A 503 {@code
 * rate-limiter-unavailable} has {@code Retry-After} only. Routes without a limit get none of these headers.
 */
public final class RateLimitHeaders {

    public static final HeaderName RATE_LIMIT_LIMIT = HeaderNames.create("RateLimit-Limit");
    public static final HeaderName RATE_LIMIT_REMAINING = HeaderNames.create("RateLimit-Remaining");
    public static final HeaderName RATE_LIMIT_RESET = HeaderNames.create("RateLimit-Reset");

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private RateLimitHeaders() {
    }

    /** Adds the headers {@code outcome} calls for (none for {@link Outcome.Unlimited}). */
    public static void write(Outcome outcome, WritableHeaders<?> headers) {
        switch (outcome) {
            case Outcome.Unlimited u -> {
            }
            case Outcome.Allowed a -> {
                headers.set(RATE_LIMIT_LIMIT, a.limit());
                headers.set(RATE_LIMIT_REMAINING, a.remaining());
                headers.set(RATE_LIMIT_RESET, a.resetSeconds());
            }
            case Outcome.Limited l -> {
                headers.set(RATE_LIMIT_LIMIT, l.limit());
                headers.set(RATE_LIMIT_REMAINING, 0);
                headers.set(RATE_LIMIT_RESET, l.resetSeconds());
                headers.set(HeaderNames.RETRY_AFTER, l.retryAfterSeconds());
            }
            case Outcome.Unavailable u -> headers.set(HeaderNames.RETRY_AFTER, u.retryAfterSeconds());
        }
    }

    /** Whole seconds in {@code nanos}, rounded up: a client that waits that long is never early. */
    static long ceilSeconds(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        return nanos / NANOS_PER_SECOND + (nanos % NANOS_PER_SECOND == 0 ? 0 : 1);
    }
}
