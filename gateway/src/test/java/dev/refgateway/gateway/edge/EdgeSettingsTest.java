package dev.refgateway.gateway.edge;

import java.time.Duration;

import dev.refgateway.gateway.config.ConfigException;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EdgeSettingsTest {

    @Test
    void everyLimitHasADefault() {
        EdgeSettings edge = EdgeSettings.create(gateway("routes: []"));

        assertThat(edge).isEqualTo(new EdgeSettings(16384, Duration.ofSeconds(10), Duration.ofSeconds(20), 500, 8_000,
                                                    65_536, Duration.ofSeconds(2), true))
                .isEqualTo(EdgeSettings.defaults());
    }

    @Test
    void theHeaderReadTimeoutIsRead() {
        EdgeSettings edge = EdgeSettings.create(gateway("""
                limits:
                  header-read-timeout: 250ms
                """));

        assertThat(edge.headerReadTimeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aHeaderReadTimeoutTooShortToBeMeantIsRefusedWithItsKey() {
        assertThatThrownBy(() -> EdgeSettings.create(gateway("""
                limits:
                  header-read-timeout: 10ms
                """)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("gateway.limits.header-read-timeout: \"10ms\"");
    }

    private static Config gateway(String yaml) {
        return Config.just(ConfigSources.create("gateway:\n" + yaml.indent(2), MediaTypes.APPLICATION_X_YAML))
                .get("gateway");
    }
}
