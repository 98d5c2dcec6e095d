package dev.refgateway.users;

import dev.refgateway.support.http.PageRequest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * Users in the service's own database, through plain JDBC. The SQL runs unchanged on H2 and PostgreSQL.
 * <p>
 * Email uniqueness is the database's job (a UNIQUE constraint): checking first and inserting after would let two
 * instances both pass the check. A violation (SQLState 23505 on both databases) becomes
 * {@link DuplicateEmailException}.
 */
final class UserRepository {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS = "id, name, email, created_at, updated_at";

    private final DataSource dataSource;
    private final Clock clock;

    UserRepository(DataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    UserRepository(DataSource dataSource, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Stores a new user. */
    User create(UserInput input) {
        Instant now = now();
        String sql = "INSERT INTO users (name, email, created_at, updated_at) VALUES (?, ?, ?, ?)";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, input.name());
            insert.setString(2, input.email());
            insert.setObject(3, toDb(now));
            insert.setObject(4, toDb(now));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new IllegalStateException("The database returned no id for a new user");
                }
                // By name: PostgreSQL returns every column as a generated key, H2 only the identity.
                return new User(keys.getLong("id"), input.name(), input.email(), now, now);
            }
        } catch (SQLException e) {
            throw translate("create user", input, e);
        }
    }

    Optional<User> find(long id) {
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, id);
        } catch (SQLException e) {
            throw new DataAccessException("find user", e);
        }
    }

    /** A page of users in id order, with the total count. */
    UserPage list(PageRequest page) {
        String sql = "SELECT " + COLUMNS + " FROM users ORDER BY id LIMIT ? OFFSET ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql);
                PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM users")) {
            select.setInt(1, page.limit());
            select.setLong(2, page.offset());
            List<User> users = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    users.add(user(rows));
                }
            }
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return new UserPage(users, page.limit(), page.offset(), rows.getLong(1));
            }
        } catch (SQLException e) {
            throw new DataAccessException("list users", e);
        }
    }

    /** Replaces name and email; empty when there is no such user. */
    Optional<User> update(long id, UserInput input) {
        String sql = "UPDATE users SET name = ?, email = ?, updated_at = ? WHERE id = ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, input.name());
            update.setString(2, input.email());
            update.setObject(3, toDb(now()));
            update.setLong(4, id);
            if (update.executeUpdate() == 0) {
                return Optional.empty();
            }
            // Read back for created_at; if a concurrent delete won meanwhile, "not found" is the truth.
            return find(connection, id);
        } catch (SQLException e) {
            throw translate("update user " + id, input, e);
        }
    }

    /** Whether a user was deleted. */
    boolean delete(long id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM users WHERE id = ?")) {
            delete.setLong(1, id);
            return delete.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new DataAccessException("delete user " + id, e);
        }
    }

    private static Optional<User> find(Connection connection, long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM users WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(user(rows)) : Optional.empty();
            }
        }
    }

    private static User user(ResultSet row) throws SQLException {
        return new User(row.getLong("id"),
                        row.getString("name"),
                        row.getString("email"),
                        row.getObject("created_at", OffsetDateTime.class).toInstant(),
                        row.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    private static RuntimeException translate(String operation, UserInput input, SQLException e) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
            return new DuplicateEmailException(input.email());
        }
        return new DataAccessException(operation, e);
    }

    /** Milliseconds: both databases keep them, so what a client is sent equals what it reads back later. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static OffsetDateTime toDb(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
