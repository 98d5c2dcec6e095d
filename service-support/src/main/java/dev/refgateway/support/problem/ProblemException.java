package dev.refgateway.support.problem;

import java.util.Objects;

import io.helidon.http.Status;

/**
 * A failure the client should see as an RFC 9457 problem. Handlers throw it; {@link ProblemErrorHandler} renders it.
 * The {@code detail} is shown to the client verbatim, so it names the bad field or value and never carries internal
 * exception text.
 */
public final class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Status status, String type, String title, String detail) {
        super(detail, null, false, false);
        this.problem = new Problem(type, title, status.code(), detail);
    }

    public Problem problem() {
        return problem;
    }

    public Status status() {
        return Status.create(problem.status());
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(Status.BAD_REQUEST_400, ProblemTypes.INVALID_REQUEST, "Invalid request", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Status.NOT_FOUND_404, ProblemTypes.NOT_FOUND, "Not found", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Status.CONFLICT_409, ProblemTypes.CONFLICT, "Conflict", detail);
    }

    public static ProblemException unprocessable(String detail) {
        return new ProblemException(Status.create(422, "Unprocessable Content"), ProblemTypes.UNPROCESSABLE,
                                    "Unprocessable content", detail);
    }

    public static ProblemException serviceUnavailable(String detail) {
        return new ProblemException(Status.SERVICE_UNAVAILABLE_503, ProblemTypes.DEPENDENCY_UNAVAILABLE,
                                    "Dependency unavailable", detail);
    }

    @Override
    public String toString() {
        return "ProblemException" + Objects.toString(problem);
    }
}
