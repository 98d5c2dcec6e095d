package dev.refgateway.users;

import java.time.Instant;

/**
 * A stored user, as clients see it.
 *
 * @param id        assigned by the database
 * @param name      trimmed display name, 1 to 100 characters
 * @param email     lower-cased address, unique
 * @param createdAt when the user was created
 * @param updatedAt when the user was last changed (equal to {@code createdAt} until then)
 */
public record User(long id, String name, String email, Instant createdAt, Instant updatedAt) {
}
