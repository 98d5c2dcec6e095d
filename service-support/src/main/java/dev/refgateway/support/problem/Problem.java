package dev.refgateway.support.problem;

import java.util.Objects;

/**
 * An RFC 9457 problem details object. Serialised as {@code application/problem+json}.
 *
 * @param type   a stable URI naming the kind of problem; clients switch on it
 * @param title  a short summary of the kind, the same for every occurrence
 * @param status the HTTP status code
 * @param detail what went wrong this time, naming the bad field or value
 */
public record Problem(String type, String title, int status, String detail) {

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
    }
}
