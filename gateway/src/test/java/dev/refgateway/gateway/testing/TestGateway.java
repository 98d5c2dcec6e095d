package dev.refgateway.gateway.testing;

import java.net.URI;

import dev.refgateway.gateway.Gateway;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

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
        String yaml = """
                server:
                  port: 0
                  host: 127.0.0.1
                %s
                admin:
                  port: 0
                consul:
                  url: %s
                gateway:
                %s
                """.formatted(serverYaml.stripTrailing(), consul, gatewayYaml.stripTrailing());
        Config config = Config.just(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML));
        return Gateway.start(config);
    }

    /** A gateway with one route {@code /echo/**} to {@code service} and default policies. */
    public static Gateway withEchoRoute(URI consul, String service) {
        return start(consul, """
                  routes:
                    - id: echo
                      path: /echo/**
                      service: %s
                    - id: misc
                      path: /**
                      service: %s
                """.formatted(service, service));
    }
}
