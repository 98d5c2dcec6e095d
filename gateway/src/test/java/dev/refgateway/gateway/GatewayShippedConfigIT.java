package dev.refgateway.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.gateway.testing.RawSockets;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway started the way {@code Main} starts it: the shipped {@code application.yaml} under overrides, as
 * environment variables give them (SERVER_PORT, ADMIN_PORT, ...). Pins that the {@code server} settings of both
 * reach the public port — its port, the payload limit, the header-read timeout — which tests with a hand-written
 * configuration cannot see (a rebuilt server configuration once lost them all and served on a random port).
 */
class GatewayShippedConfigIT {

    private static int port;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Config config = Config.builder()
                .sources(ConfigSources.create(Map.of(
                                 "server.port", String.valueOf(port),
                                 "server.host", "127.0.0.1",
                                 "admin.port", "0",
                                 "consul.url", ConsulAgent.shared().url().toString(),
                                 "gateway.limits.header-read-timeout", "1s")),
                         ConfigSources.classpath("application.yaml"))
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .build();
        gateway = Gateway.start(config);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void servesOnTheConfiguredPort() {
        assertThat(gateway.port()).isEqualTo(port);
    }

    @Test
    void theShippedPayloadLimitApplies() throws IOException {
        // application.yaml: server.max-payload-size 10 MiB; a declared 20 MiB is refused before any body byte.
        String answer = RawSockets.exchange(port, "POST /users HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
                                 + "Content-Length: 20971520\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 413");
    }

    @Test
    void theHeaderReadTimeoutAppliesToAConnectionThatSendsNothing() throws IOException {
        String answer = RawSockets.exchange(port, "");
        assertThat(answer).startsWith("HTTP/1.1 408");
    }
}
