package dev.refgateway.orders;

import java.util.Map;
import java.util.UUID;

import dev.refgateway.support.db.Database;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/** Fresh, migrated H2 in-memory databases, one per test class. */
final class TestDatabases {

    private TestDatabases() {
    }

    static Database create() {
        String url = "jdbc:h2:mem:orders-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        return Database.create(Config.just(ConfigSources.create(Map.of("url", url, "user", "sa", "password", ""))));
    }
}
