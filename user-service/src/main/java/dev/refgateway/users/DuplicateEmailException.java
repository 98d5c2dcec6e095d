package dev.refgateway.users;

/** Another user already has this email; the database's unique constraint said so. */
final class DuplicateEmailException extends RuntimeException {

    private final String email;

    DuplicateEmailException(String email) {
        super("email: " + email + " (already taken)", null, false, false);
        this.email = email;
    }

    String email() {
        return email;
    }
}
