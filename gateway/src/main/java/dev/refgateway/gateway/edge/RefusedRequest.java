package dev.refgateway.gateway.edge;

import dev.refgateway.gateway.problem.GatewayProblem;

import io.helidon.http.DirectHandler;
import io.helidon.http.RequestException;

/**
 * A request the edge refused while Helidon was already handling it: its body broke the framing rules. Thrown from the
 * connection's reads of the body; the gateway's handler answers it with {@link #problem()} and the connection is then
 * closed, never read again. Should it reach Helidon instead, it is a {@link RequestException} with the right status
 * and no keep-alive, so Helidon's own error path answers and closes just the same.
 */
public final class RefusedRequest extends RequestException {

    private final transient GatewayProblem problem;

    RefusedRequest(GatewayProblem problem, String detail) {
        super(RequestException.builder()
                      .type(DirectHandler.EventType.BAD_REQUEST)
                      .status(problem.status())
                      .message(detail)
                      .safeMessage(true)
                      .setKeepAlive(false));
        this.problem = problem;
    }

    /** What to answer. */
    public GatewayProblem problem() {
        return problem;
    }

    /** Why, in words safe to show the client. */
    public String detail() {
        return getMessage();
    }
}
