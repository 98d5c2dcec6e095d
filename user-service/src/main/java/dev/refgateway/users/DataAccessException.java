package dev.refgateway.users;

import java.sql.SQLException;

/**
 * A database failure that no client input explains (connection lost, pool exhausted). It reaches the generic error
 * handler: logged with its cause, answered with a 500 that does not repeat the SQL message.
 */
final class DataAccessException extends RuntimeException {

    DataAccessException(String operation, SQLException cause) {
        super(operation + " failed: SQLState " + cause.getSQLState(), cause);
    }
}
