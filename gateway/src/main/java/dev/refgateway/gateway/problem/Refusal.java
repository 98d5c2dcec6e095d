package dev.refgateway.gateway.problem;

import java.util.List;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;

/**
 * An answer the gateway gives itself instead of an instance's: which problem, why (in words safe to show the client),
 * the label metrics and the access log record it under, and the headers that go with it ({@code WWW-Authenticate},
 * {@code Retry-After}). Every stage that refuses a request returns one; the pipeline renders them all in one place.
 *
 * @param problem the problem type, with its status
 * @param detail  what was wrong, for the client
 * @param outcome the label of metrics and the access log ({@code no-route}, {@code rate-limited}, ...)
 * @param headers headers of the answer besides the problem's own
 */
public record Refusal(GatewayProblem problem, String detail, String outcome, List<Header> headers) {

    public Refusal {
        headers = List.copyOf(headers);
    }

    /** A refusal labelled after its problem ({@code route-not-found} and so on). */
    public static Refusal of(GatewayProblem problem, String detail) {
        return new Refusal(problem, detail, problem.label(), List.of());
    }

    /** A refusal with its own outcome label. */
    public static Refusal of(GatewayProblem problem, String detail, String outcome) {
        return new Refusal(problem, detail, outcome, List.of());
    }

    /** This refusal, telling the client when to try again. */
    public Refusal retryAfter(long seconds) {
        return with(HeaderValues.create(HeaderNames.RETRY_AFTER, String.valueOf(Math.max(1, seconds))));
    }

    /** This refusal with one more header. */
    public Refusal with(Header header) {
        List<Header> more = new java.util.ArrayList<>(headers);
        more.add(header);
        return new Refusal(problem, detail, outcome, more);
    }
}
