package dev.refgateway.orders;

/**
 * The user directory could not say whether a user exists: no passing instance, or every instance tried failed or
 * timed out. The message is short and safe to show to clients, e.g.
 * {@code user-service unavailable: connection refused (2 instances tried)}.
 */
public final class UserDirectoryUnavailableException extends RuntimeException {

    public UserDirectoryUnavailableException(String service, String reason) {
        super(service + " unavailable: " + reason, null, false, false);
    }
}
