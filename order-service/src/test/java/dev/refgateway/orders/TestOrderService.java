package dev.refgateway.orders;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import dev.refgateway.support.RunningService;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/** The real order-service for integration tests: free ports, its own in-memory database, no drain period. */
final class TestOrderService {

    private TestOrderService() {
    }

    /**
     * Starts order-service (both APIs) registered in the Consul agent at {@code consul}.
     *
     * @param database a name for its in-memory database, unique per test class
     * @param settings more settings, e.g. {@code users.service}
     */
    static RunningService start(URI consul, String database, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of(
                "server.port", "0",
                "server.host", "127.0.0.1",
                "grpc.port", "0",
                "db.url", "jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1",
                "consul.url", consul.toString(),
                "instance.drain.period", "PT0S",
                "instance.drain.timeout", "PT1S"));
        all.putAll(settings);
        return Main.start(Config.builder()
                                  .disableEnvironmentVariablesSource()
                                  .disableSystemPropertiesSource()
                                  .sources(ConfigSources.create(all), ConfigSources.classpath("application.yaml"))
                                  .build());
    }
}
