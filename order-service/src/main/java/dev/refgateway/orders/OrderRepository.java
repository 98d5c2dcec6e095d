package dev.refgateway.orders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * Orders in the service's own database (tables {@code orders} and {@code order_items}), with plain JDBC.
 * <p>
 * Status changes are compare-and-set ({@code UPDATE ... WHERE id = ? AND status = ?}): two instances acting on the
 * same order at once cannot both succeed, and neither overwrites what the other did.
 */
public final class OrderRepository {

    private static final String ORDER_COLUMNS = "id, user_id, status, created_at, updated_at";

    private final DataSource dataSource;

    public OrderRepository(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Stores a new order in status CREATED, order and lines in one transaction. */
    public Order create(NewOrder order, Instant now) {
        return create(order, now, null);
    }

    /**
     * Stores a new order in status CREATED, order and lines in one transaction, which also gives the claimed
     * idempotency key (if any) the order's id: the key never points at an order that was not stored.
     */
    public Order create(NewOrder order, Instant now, String idempotencyKey) {
        // PostgreSQL keeps microseconds; truncating here makes the returned order equal to what a read returns.
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                long id = insertOrder(connection, order.userId(), at);
                insertLines(connection, id, order.lines());
                if (idempotencyKey != null) {
                    IdempotencyKeys.complete(connection, idempotencyKey, id);
                }
                connection.commit();
                return new Order(id, order.userId(), OrderStatus.CREATED, order.lines(), at, at);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageException("Could not store an order of user " + order.userId(), e);
        }
    }

    public Optional<Order> find(long id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT " + ORDER_COLUMNS + " FROM orders WHERE id = ?")) {
            select.setLong(1, id);
            List<Order> found = withLines(connection, readOrders(select));
            return found.stream().findFirst();
        } catch (SQLException e) {
            throw new StorageException("Could not read order " + id, e);
        }
    }

    /** One page of orders, newest first; with a user id only that user's. */
    public List<Order> list(OrderQuery query) {
        String sql = "SELECT " + ORDER_COLUMNS + " FROM orders" + where(query.userId())
                + " ORDER BY id DESC LIMIT ? OFFSET ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            int i = bindUser(select, query.userId());
            select.setInt(i++, query.page().limit());
            select.setLong(i, query.page().offset());
            return withLines(connection, readOrders(select));
        } catch (SQLException e) {
            throw new StorageException("Could not list orders", e);
        }
    }

    /** How many orders exist; with a user id only that user's. */
    public long count(OptionalLong userId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT COUNT(*) FROM orders" + where(userId))) {
            bindUser(select, userId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StorageException("Could not count orders", e);
        }
    }

    /**
     * Sets the status to {@code next} only if it is still {@code expected}.
     *
     * @return false when the order is gone or its status changed since it was read
     */
    public boolean compareAndSetStatus(long id, OrderStatus expected, OrderStatus next, Instant at) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND status = ?")) {
            update.setString(1, next.name());
            update.setObject(2, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            update.setLong(3, id);
            update.setString(4, expected.name());
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StorageException("Could not update order " + id, e);
        }
    }

    private static String where(OptionalLong userId) {
        return userId.isPresent() ? " WHERE user_id = ?" : "";
    }

    /** Binds the user id if there is one; returns the next parameter index. */
    private static int bindUser(PreparedStatement statement, OptionalLong userId) throws SQLException {
        if (userId.isEmpty()) {
            return 1;
        }
        statement.setLong(1, userId.getAsLong());
        return 2;
    }

    private static long insertOrder(Connection connection, long userId, Instant at) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO orders (user_id, status, created_at, updated_at) VALUES (?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            OffsetDateTime timestamp = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
            insert.setLong(1, userId);
            insert.setString(2, OrderStatus.CREATED.name());
            insert.setObject(3, timestamp);
            insert.setObject(4, timestamp);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("The database returned no id for the new order");
                }
                // By name: PostgreSQL returns every column of the row, H2 only the identity.
                return keys.getLong("id");
            }
        }
    }

    private static void insertLines(Connection connection, long orderId, List<OrderLine> lines) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO order_items (order_id, line_no, sku, quantity, unit_price) VALUES (?, ?, ?, ?, ?)")) {
            for (int lineNo = 0; lineNo < lines.size(); lineNo++) {
                OrderLine line = lines.get(lineNo);
                insert.setLong(1, orderId);
                insert.setInt(2, lineNo);
                insert.setString(3, line.sku());
                insert.setInt(4, line.quantity());
                insert.setBigDecimal(5, line.unitPrice());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Orders without their lines yet, keyed by id in the query's order. */
    private static Map<Long, OrderRow> readOrders(PreparedStatement select) throws SQLException {
        Map<Long, OrderRow> rows = new LinkedHashMap<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                OrderRow row = new OrderRow(rs.getLong("id"),
                                            rs.getLong("user_id"),
                                            OrderStatus.valueOf(rs.getString("status")),
                                            instant(rs, "created_at"),
                                            instant(rs, "updated_at"));
                rows.put(row.id(), row);
            }
        }
        return rows;
    }

    /** Reads the lines of all {@code rows} in one query. */
    private static List<Order> withLines(Connection connection, Map<Long, OrderRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return List.of();
        }
        String placeholders = String.join(", ", Collections.nCopies(rows.size(), "?"));
        Map<Long, List<OrderLine>> lines = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT order_id, sku, quantity, unit_price FROM order_items WHERE order_id IN (" + placeholders
                        + ") ORDER BY order_id, line_no")) {
            int i = 1;
            for (long id : rows.keySet()) {
                select.setLong(i++, id);
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    lines.computeIfAbsent(rs.getLong("order_id"), id -> new ArrayList<>())
                            .add(new OrderLine(rs.getString("sku"), rs.getInt("quantity"),
                                               rs.getBigDecimal("unit_price")));
                }
            }
        }
        List<Order> orders = new ArrayList<>(rows.size());
        for (OrderRow row : rows.values()) {
            orders.add(new Order(row.id(), row.userId(), row.status(), lines.getOrDefault(row.id(), List.of()),
                                 row.createdAt(), row.updatedAt()));
        }
        return orders;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private record OrderRow(long id, long userId, OrderStatus status, Instant createdAt, Instant updatedAt) {
    }

    /** The database failed; the error handler answers 500 and logs the cause, which never reaches a client. */
    public static final class StorageException extends RuntimeException {

        StorageException(String message, SQLException cause) {
            super(message, cause);
        }
    }
}
