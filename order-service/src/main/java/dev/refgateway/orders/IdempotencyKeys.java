package dev.refgateway.orders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * The idempotency keys of {@code POST /orders}, in the service's own database (table {@code idempotency_keys}), so
 * they hold across instances: the primary key decides which of two requests with one key, on any instances, creates
 * the order.
 * <ol>
 *     <li>A new key is {@link #claim claimed} before the order exists (its order id still empty).</li>
 *     <li>The order is created, and the key given its id, in one transaction ({@link OrderRepository#create}).</li>
 *     <li>If the order cannot be created (unknown user, user-service down), the claim is {@link #release released}:
 *     the client may try again with the same key.</li>
 * </ol>
 * A repeat of a completed key with the same body answers with the first order; with another body it is refused
 * (it is a client bug: one key, two different orders); while the first is in progress it is refused as a conflict.
 * Keys live {@value #RETENTION_HOURS} hours. A claim left in progress longer than {@link #ABANDONED_AFTER} (its
 * instance died mid-request) no longer blocks the key.
 */
public final class IdempotencyKeys {

    static final int RETENTION_HOURS = 24;
    static final Duration RETENTION = Duration.ofHours(RETENTION_HOURS);
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(1);

    /** What a claim found. */
    public sealed interface Claim {
        /** The key is new: this request creates the order. */
        record Claimed() implements Claim {
        }

        /** The key belongs to a completed request with the same body: answer with its order. */
        record Replay(long orderId) implements Claim {
        }

        /** A request with this key is still in progress. */
        record InProgress() implements Claim {
        }

        /** The key was used with another body. */
        record Mismatch() implements Claim {
        }
    }

    private final DataSource dataSource;

    public IdempotencyKeys(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Claims {@code key} for a request whose body hashes to {@code requestHash}, or says what holds it already.
     */
    public Claim claim(String key, String requestHash, Instant now) {
        try (Connection connection = dataSource.getConnection()) {
            // Two rounds at most: a stale row (expired, or abandoned in progress) is removed and the insert tried again.
            for (int round = 0; round < 2; round++) {
                if (insert(connection, key, requestHash, now)) {
                    forgetExpiredNowAndThen(connection, now);
                    return new Claim.Claimed();
                }
                Stored stored = find(connection, key);
                if (stored == null) {
                    continue;   // released or removed in between: try again
                }
                boolean expired = stored.createdAt.isBefore(now.minus(RETENTION));
                boolean abandoned = stored.orderId == null && stored.createdAt.isBefore(now.minus(ABANDONED_AFTER));
                if (expired || abandoned) {
                    delete(connection, key, stored.createdAt);
                    continue;
                }
                if (!stored.requestHash.equals(requestHash)) {
                    return new Claim.Mismatch();
                }
                return stored.orderId == null ? new Claim.InProgress() : new Claim.Replay(stored.orderId);
            }
            return new Claim.InProgress();
        } catch (SQLException e) {
            throw new OrderRepository.StorageException("Could not claim an idempotency key", e);
        }
    }

    /** Gives up a claim whose order could not be created, so that the key can be used again. */
    public void release(String key) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM idempotency_keys WHERE idem_key = ? AND order_id IS NULL")) {
            delete.setString(1, key);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new OrderRepository.StorageException("Could not release an idempotency key", e);
        }
    }

    /** Gives the claimed key its order, in the order's transaction. */
    static void complete(Connection connection, String key, long orderId) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE idempotency_keys SET order_id = ? WHERE idem_key = ? AND order_id IS NULL")) {
            update.setLong(1, orderId);
            update.setString(2, key);
            if (update.executeUpdate() != 1) {
                throw new SQLException("idempotency key no longer claimed");
            }
        }
    }

    private static boolean insert(Connection connection, String key, String requestHash, Instant now)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO idempotency_keys (idem_key, request_hash, created_at) VALUES (?, ?, ?)")) {
            insert.setString(1, key);
            insert.setString(2, requestHash);
            insert.setObject(3, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    private static Stored find(Connection connection, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT request_hash, order_id, created_at FROM idempotency_keys WHERE idem_key = ?")) {
            select.setString(1, key);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long orderId = rs.getLong("order_id");
                Long order = rs.wasNull() ? null : orderId;   // asked right after the column it is about
                return new Stored(rs.getString("request_hash"), order,
                                  rs.getObject("created_at", OffsetDateTime.class).toInstant());
            }
        }
    }

    private static void delete(Connection connection, String key, Instant createdAt) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM idempotency_keys WHERE idem_key = ? AND created_at = ?")) {
            delete.setString(1, key);
            delete.setObject(2, OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC));
            delete.executeUpdate();
        }
    }

    /** About once in 256 claims, keys older than the retention are removed: the table stays at a day's keys. */
    private static void forgetExpiredNowAndThen(Connection connection, Instant now) throws SQLException {
        if (ThreadLocalRandom.current().nextInt(256) != 0) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM idempotency_keys WHERE created_at < ?")) {
            delete.setObject(1, OffsetDateTime.ofInstant(now.minus(RETENTION), ZoneOffset.UTC));
            delete.executeUpdate();
        }
    }

    /** Unique-constraint violation: SQLState class 23 with code 23505 on PostgreSQL and H2. */
    private static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    private record Stored(String requestHash, Long orderId, Instant createdAt) {
    }
}
