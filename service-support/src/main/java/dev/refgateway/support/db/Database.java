package dev.refgateway.support.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;

import javax.sql.DataSource;

import io.helidon.config.Config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/**
 * The service's own database: a HikariCP pool, migrated by Flyway from {@code classpath:db/migration} at start.
 *
 * <pre>
 * db:
 *   url: jdbc:postgresql://db:5432/users   # env DB_URL
 *   user: users                            # env DB_USER
 *   password: secret                       # env DB_PASSWORD
 *   pool-size: 10
 *   connect-retries: 30                    # the database may start after the service (compose, k8s)
 * </pre>
 */
public final class Database implements AutoCloseable {

    private static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(1);

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Opens the pool and migrates the schema. */
    public static Database create(Config db) {
        String url = db.get("url").asString()
                .orElseThrow(() -> new IllegalArgumentException("db.url: missing (expected: a JDBC URL)"));
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        hikari.setUsername(db.get("user").asString().orElse(""));
        hikari.setPassword(db.get("password").asString().orElse(""));
        hikari.setMaximumPoolSize(db.get("pool-size").asInt().orElse(10));
        hikari.setPoolName("db");
        // Create the pool even when the database is down: readiness reports it, Flyway retries below.
        hikari.setInitializationFailTimeout(-1);
        hikari.setConnectionTimeout(db.get("connection-timeout").as(Duration.class).orElse(Duration.ofSeconds(3))
                                            .toMillis());
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .connectRetries(db.get("connect-retries").asInt().orElse(30))
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Whether a connection can be had and is valid within a second; used by the readiness check. */
    public boolean isReachable() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid((int) VALIDATION_TIMEOUT.toSeconds());
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    @Override
    public String toString() {
        return "Database[" + Objects.toString(dataSource.getJdbcUrl()) + "]";
    }
}
