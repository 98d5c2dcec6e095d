package dev.refgateway.gateway.ratelimit;

/**
 * What {@link RateLimiter#check} decided about one request. {@link Unlimited} and {@link Allowed} are forwarded;
 * {@link Limited} is answered 429 and {@link Unavailable} 503 by the gateway, never by an instance.
 * {@link RateLimitHeaders#write} turns an outcome into response headers.
 */
public sealed interface Outcome {

    /** Whether the request may go on to an instance. */
    boolean allowed();

    /** The route has no rate limit. */
    static Outcome unlimited() {
        return Unlimited.INSTANCE;
    }

    /** The route has no rate limit: no header is added. */
    record Unlimited() implements Outcome {

        private static final Unlimited INSTANCE = new Unlimited();

        @Override
        public boolean allowed() {
            return true;
        }
    }

    /**
     * A token was taken: forward the request.
     *
     * @param limit        the bucket's capacity ({@code RateLimit-Limit})
     * @param remaining    tokens left after this request ({@code RateLimit-Remaining})
     * @param resetSeconds whole seconds, rounded up, until the bucket is full again ({@code RateLimit-Reset})
     */
    record Allowed(long limit, long remaining, long resetSeconds) implements Outcome {

        @Override
        public boolean allowed() {
            return true;
        }
    }

    /**
     * The bucket is empty: 429.
     *
     * @param limit             the bucket's capacity
     * @param resetSeconds      whole seconds, rounded up, until the bucket is full again
     * @param retryAfterSeconds whole seconds, rounded up and at least 1, until the next token ({@code Retry-After})
     */
    record Limited(long limit, long resetSeconds, long retryAfterSeconds) implements Outcome {

        @Override
        public boolean allowed() {
            return false;
        }
    }

    /**
     * The shared buckets cannot be reached and the gateway fails closed: 503.
     *
     * @param retryAfterSeconds when to try again ({@code Retry-After})
     */
    record Unavailable(long retryAfterSeconds) implements Outcome {

        @Override
        public boolean allowed() {
            return false;
        }
    }
}
