package dev.refgateway.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.refgateway.discovery.testing.ConsulAgent;

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
        String answer = exchange("POST /users HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
                                 + "Content-Length: 20971520\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 413");
    }

    @Test
    void theHeaderReadTimeoutAppliesToAConnectionThatSendsNothing() throws IOException {
        String answer = exchange("");
        assertThat(answer).startsWith("HTTP/1.1 408");
    }

    /** Sends {@code request} and reads until the gateway closes the connection (at most 10 s). */
    private static String exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) >= 0 && answer.size() < 65536; ) {
                    answer.write(buffer, 0, n);
                    if (answer.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n{")) {
                        break;
                    }
                }
            } catch (IOException closed) {
                // reset after the answer: what arrived is what counts
            }
            return answer.toString(StandardCharsets.US_ASCII);
        }
    }
}
