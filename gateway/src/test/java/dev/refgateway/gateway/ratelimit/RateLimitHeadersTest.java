package dev.refgateway.gateway.ratelimit;

import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The headers each outcome puts on the response, and the rounding of seconds. */
class RateLimitHeadersTest {

    @Test
    void anAllowedRequestGetsLimitRemainingAndResetButNoRetryAfter() {
        WritableHeaders<?> headers = WritableHeaders.create();

        RateLimitHeaders.write(new Outcome.Allowed(100, 37, 2), headers);

        assertThat(headers.get(RateLimitHeaders.RATE_LIMIT_LIMIT).get()).isEqualTo("100");
        assertThat(headers.get(RateLimitHeaders.RATE_LIMIT_REMAINING).get()).isEqualTo("37");
        assertThat(headers.get(RateLimitHeaders.RATE_LIMIT_RESET).get()).isEqualTo("2");
        assertThat(headers.contains(HeaderNames.RETRY_AFTER)).isFalse();
    }

    @Test
    void aLimitedRequestGetsZeroRemainingAndRetryAfter() {
        WritableHeaders<?> headers = WritableHeaders.create();

        RateLimitHeaders.write(new Outcome.Limited(10, 60, 6), headers);

        assertThat(headers.get(RateLimitHeaders.RATE_LIMIT_LIMIT).get()).isEqualTo("10");
        assertThat(headers.get(RateLimitHeaders.RATE_LIMIT_REMAINING).get()).isEqualTo("0");
        assertThat(headers.get(RateLimitHeaders.RATE_LIMIT_RESET).get()).isEqualTo("60");
        assertThat(headers.get(HeaderNames.RETRY_AFTER).get()).isEqualTo("6");
    }

    @Test
    void anUnavailableLimiterGetsOnlyRetryAfter() {
        WritableHeaders<?> headers = WritableHeaders.create();

        RateLimitHeaders.write(new Outcome.Unavailable(1), headers);

        assertThat(headers.get(HeaderNames.RETRY_AFTER).get()).isEqualTo("1");
        assertThat(headers.contains(RateLimitHeaders.RATE_LIMIT_LIMIT)).isFalse();
        assertThat(headers.contains(RateLimitHeaders.RATE_LIMIT_REMAINING)).isFalse();
    }

    @Test
    void anUnlimitedRouteGetsNoHeaderAtAll() {
        WritableHeaders<?> headers = WritableHeaders.create();

        RateLimitHeaders.write(Outcome.unlimited(), headers);

        assertThat(headers.size()).isZero();
    }

    @Test
    void secondsAreRoundedUpSoThatAClientIsNeverEarly() {
        assertThat(RateLimitHeaders.ceilSeconds(0)).isZero();
        assertThat(RateLimitHeaders.ceilSeconds(-5)).isZero();
        assertThat(RateLimitHeaders.ceilSeconds(1)).isEqualTo(1);
        assertThat(RateLimitHeaders.ceilSeconds(999_999_999)).isEqualTo(1);
        assertThat(RateLimitHeaders.ceilSeconds(1_000_000_000)).isEqualTo(1);
        assertThat(RateLimitHeaders.ceilSeconds(1_000_000_001)).isEqualTo(2);
        assertThat(RateLimitHeaders.ceilSeconds(4_500_000_000L)).isEqualTo(5);
    }
}
