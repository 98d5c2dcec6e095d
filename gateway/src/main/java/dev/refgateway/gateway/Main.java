package dev.refgateway.gateway;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
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

    private static final int START_STACK_MIB = 64;

    private Main() {
    }

    /**
     * Environment variables and system properties first (the builder adds them), then {@code application.yaml} in
     * the working directory (a deployment's own settings, e.g. its routes; lists there replace the built-in lists),
     * then the built-in {@code application.yaml}. Helidon's {@code Config.create()} would read only the first
     * {@code application.yaml} it finds, so a deployment's file would silently drop every built-in setting.
     */
    static Config configuration() {
        return Gateway.configBuilder()
                .addSource(ConfigSources.file("application.yaml").optional())
                .addSource(ConfigSources.classpath("application.yaml"))
                .build();
    }

    /**
     * Starts on a thread of its own whose stack may grow to {@value #START_STACK_MIB} MiB: Helidon 4.5 flattens each
     * configuration list into a chain of concatenated streams as deep as the list is long and walks it recursively,
     * which overflows the JVM's default 1 MiB stack at about 10,000 routes ({@code StackOverflowError} before the
     * server starts; docs/helidon.md). The stack is only reserved: the OS commits the pages the walk touches.
     */
    public static void main(String[] args) throws InterruptedException {
        Throwable[] failure = new Throwable[1];
        Thread starter = new Thread(null, () -> {
            try {
                start();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "gateway-start", START_STACK_MIB * 1024L * 1024L);
        starter.start();
        starter.join();
        if (failure[0] != null) {
            System.err.print("The gateway did not start: ");
            failure[0].printStackTrace();
            System.exit(1);
        }
    }

    private static void start() {
        LogConfig.configureRuntime();
        Config config = configuration();
        Services.set(Config.class, config);
        Gateway gateway = Gateway.start(config);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("gateway-shutdown").unstarted(gateway::shutdown));
    }
}
