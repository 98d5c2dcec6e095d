package dev.refgateway.orders;

/**
 * Knows whether a user exists. Orders are only accepted for users that user-service knows; this is the one
 * question order-service asks it.
 */
public interface UserDirectory extends AutoCloseable {

    /**
     * Whether user {@code userId} exists.
     *
     * @return true when user-service knows the user, false when it answered that it does not
     * @throws UserDirectoryUnavailableException when no instance could answer within the configured timeout
     */
    boolean exists(long userId);

    /** Releases what the directory holds (a watch, connections); does nothing by default. */
    @Override
    default void close() {
    }
}
