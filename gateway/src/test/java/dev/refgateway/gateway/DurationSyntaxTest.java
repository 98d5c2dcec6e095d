package dev.refgateway.gateway;

import java.time.Duration;

import dev.refgateway.discovery.ConsulSettings;
import dev.refgateway.discovery.watch.WatchSettings;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServerConfig;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One duration syntax in the whole file: Helidon's server keys and the consul keys take 60s as gateway.* does. */
class DurationSyntaxTest {

    private static final String YAML = """
            server:
              idle-connection-timeout: 60s
              connection-options:
                read-timeout: 250ms
            consul:
              connect-timeout: 3s
              watch:
                wait: 2m
                error-backoff-initial: PT0.5S
            """;

    @Test
    void helidonsServerKeysTakeTheShortForm() {
        Config server = Gateway.serverConfig(configuration(YAML));

        WebServerConfig webServer = WebServerConfig.builder().config(server).buildPrototype();

        assertThat(webServer.idleConnectionTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(webServer.connectionOptions().readTimeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void consulKeysTakeTheShortFormAndIsoAlike() {
        Config config = configuration(YAML);

        assertThat(WatchSettings.create(config.get("consul.watch")).blockingWait()).isEqualTo(Duration.ofMinutes(2));
        assertThat(WatchSettings.create(config.get("consul.watch")).errorBackoff().initial())
                .isEqualTo(Duration.ofMillis(500));
        assertThat(ConsulSettings.create(config.get("consul")).connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aWrongDurationIsNamedWithItsKey() {
        Config config = configuration("consul: {watch: {wait: soon}}");

        assertThatThrownBy(() -> WatchSettings.create(config.get("consul.watch")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("consul.watch.wait")
                .hasMessageContaining("\"soon\" (expected: a duration such as 15s, 250ms or PT15S)");
    }

    /** Pinned: Helidon alone reads ISO-8601 only; when an upgrade takes 60s itself, Gateway.configBuilder can go. */
    @Test
    void helidonAloneRefusesTheShortForm() {
        Config plain = Config.just(ConfigSources.create(YAML, MediaTypes.APPLICATION_X_YAML));

        assertThatThrownBy(() -> plain.get("server.idle-connection-timeout").as(Duration.class).get())
                .isInstanceOf(ConfigException.class);
    }

    private static Config configuration(String yaml) {
        return Gateway.configBuilder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML))
                .build();
    }
}
