package dev.refgateway.gateway.testing;

import java.net.URI;
import java.time.Duration;

import dev.refgateway.gateway.Gateway;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;

import static org.awaitility.Awaitility.await;

/** Starts a real gateway in this JVM on free ports, configured by a YAML {@code gateway:} section. */
public final class TestGateway {

    private TestGateway() {
    }

    /**
     * @param consul      the Consul agent's URL
     * @param gatewayYaml the body of the {@code gateway:} section, indented by two spaces
     */
    public static Gateway start(URI consul, String gatewayYaml) {
        return start(consul, "", gatewayYaml);
    }

    /**
     * @param consul      the Consul agent's URL
     * @param serverYaml  more keys of the {@code server:} section (limits, timeouts), indented by two spaces
     * @param gatewayYaml the body of the {@code gateway:} section, indented by two spaces
     */
    public static Gateway start(URI consul, String serverYaml, String gatewayYaml) {
        return start(consul, serverYaml, "", gatewayYaml);
    }

    /**
     * @param consul      the Consul agent's URL
     * @param serverYaml  more keys of the {@code server:} section (limits, timeouts), indented by two spaces
     * @param adminYaml   more keys of the {@code admin:} section (host, token), indented by two spaces
     * @param gatewayYaml the body of the {@code gateway:} section, indented by two spaces
     */
    public static Gateway start(URI consul, String serverYaml, String adminYaml, String gatewayYaml) {
        String yaml = """
                server:
                  port: 0
                  host: 127.0.0.1
                %s
                admin:
                  port: 0
                %s
                consul:
                  url: %s
                gateway:
                %s
                """.formatted(serverYaml.stripTrailing(), adminYaml.stripTrailing(), consul,
                              gatewayYaml.stripTrailing());
        Config config = Gateway.configBuilder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML))
                .build();
        return Gateway.start(config);
    }

    /**
     * A gateway with one route {@code /echo/**} to {@code service} and default policies, answers telling which
     * instances were tried ({@code Gateway-Attempts}, off by default: tests read it, as {@code make run} shows it).
     */
    public static Gateway withEchoRoute(URI consul, String service) {
        return start(consul, """
                  proxy:
                    attempts-header: true
                  routes:
                    - id: echo
                      path: /echo/**
                      service: %s
                    - id: misc
                      path: /**
                      service: %s
                """.formatted(service, service));
    }

    /** Waits (at most 10 s) until the gateway has discovered {@code count} passing instances of {@code service}. */
    public static void awaitInstances(Gateway gateway, String service, int count) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> gateway.upstreams().get(service).orElseThrow().pool().size() == count);
    }

    /** An HTTP/1.1 client of the gateway's public port. */
    public static Http1Client client(Gateway gateway) {
        return WebClient.builder().baseUri("http://127.0.0.1:" + gateway.port()).build().client(Http1Client.PROTOCOL);
    }
}
