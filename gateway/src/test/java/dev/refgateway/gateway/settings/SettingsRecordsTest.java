package dev.refgateway.gateway.settings;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.refgateway.gateway.failover.RetrySettings;
import dev.refgateway.gateway.relay.ProxySettings;
import dev.refgateway.gateway.upstream.BulkheadSettings;
import dev.refgateway.gateway.upstream.CircuitBreakerSettings;
import dev.refgateway.gateway.upstream.OutlierSettings;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings built in code (tests, embedding) are checked as strictly as configured ones. */
class SettingsRecordsTest {

    @Test
    void retrySettingsRejectOutOfRangeValues() {
        assertThatThrownBy(() -> new RetrySettings(0, Duration.ZERO, Duration.ZERO, Set.of(), "K", 20, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttempts: 0 (expected: 1 to 10)");
        assertThatThrownBy(() -> new RetrySettings(3, Duration.ZERO, Duration.ZERO, Set.of(404), "K", 20, 3))
                .hasMessage("retryOnStatuses: 404 (expected: a status code from 500 to 599; other statuses are the upstream's answer)");
        assertThatThrownBy(() -> new RetrySettings(3, Duration.ofSeconds(1), Duration.ZERO, Set.of(), "K", 20, 3))
                .hasMessage("backoffMax: PT0S (expected: >= backoffBase PT1S)");
    }

    @Test
    void retryStatusesAreKeptSorted() {
        RetrySettings retry = new RetrySettings(3, Duration.ZERO, Duration.ZERO, Set.of(504, 502, 503), "K", 20, 3);

        assertThat(retry.retryOnStatuses()).containsExactly(502, 503, 504);
    }

    @Test
    void proxySettingsRejectBadTrustedProxies() {
        assertThatThrownBy(() -> new ProxySettings(List.of("10.0.0.0/40"), 0, Duration.ofSeconds(1), 1, 0,
                                                   Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trustedProxies[0]: \"10.0.0.0/40\" (expected: a prefix length of 0..32 after '/')");
    }

    @Test
    void outlierAndBreakerSettingsRejectOutOfRangeValues() {
        assertThatThrownBy(() -> new OutlierSettings(5, Duration.ofSeconds(30), Duration.ofSeconds(10), 10))
                .hasMessage("maxEjection: PT10S (expected: >= baseEjection PT30S)");
        assertThatThrownBy(() -> new CircuitBreakerSettings(true, 10, 0, Duration.ofSeconds(5), 1))
                .hasMessage("errorRatioPercent: 0 (expected: 1 to 100)");
        assertThatThrownBy(() -> new BulkheadSettings(true, 0, 0))
                .hasMessage("limit: 0 (expected: >= 1)");
    }
}
