package dev.refgateway.gateway;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.service.registry.Services;

/**
 * Starts the gateway from {@code application.yaml} (every value overridable by environment variable, e.g.
 * {@code SERVER_PORT}, {@code ADMIN_PORT}, {@code CONSUL_URL}).
 * <pre>
 * curl -i http://localhost:8080/users              # proxied to a user-service instance
 * curl -s http://localhost:8090/admin/upstreams     # why each instance would or would not be picked
 * </pre>
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = Config.create();
        Services.set(Config.class, config);
        Gateway gateway = Gateway.start(config);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("gateway-shutdown").unstarted(gateway::shutdown));
    }
}
