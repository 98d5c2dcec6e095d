package dev.refgateway.support.problem;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.refgateway.support.json.JsonBodies;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * The one place where failures become HTTP statuses. Every error leaves as {@code application/problem+json}.
 * Unexpected exceptions are logged with their stack trace and answered with a generic 500: their messages may name
 * tables, hosts or classes and never reach a client.
 */
public final class ProblemErrorHandler {

    public static final HttpMediaType PROBLEM_JSON = HttpMediaType.create("application/problem+json");
    private static final Logger LOG = System.getLogger(ProblemErrorHandler.class.getName());

    private ProblemErrorHandler() {
    }

    /** Registers the handlers on {@code routing}. */
    public static void register(HttpRouting.Builder routing) {
        routing.error(ProblemException.class, (req, res, e) -> send(req, res, e.problem()))
                .error(HttpException.class, (req, res, e) -> send(req, res, fromHttpException(e)))
                .error(Exception.class, (req, res, e) -> {
                    LOG.log(Level.ERROR, "Unexpected failure serving " + req.prologue().method().text() + " "
                            + req.path().absolute().rawPath(), e);
                    send(req, res, new Problem(ProblemTypes.INTERNAL, "Internal error", 500,
                                               "The server failed to process the request; it has been logged."));
                });
    }

    /** Sends {@code problem} as the response. */
    public static void send(ServerRequest req, ServerResponse res, Problem problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.detail());
        body.put("instance", req.path().absolute().rawPath());
        byte[] json;
        try {
            json = JsonBodies.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A map of strings always serialises", e);
        }
        res.status(Status.create(problem.status()));
        res.headers().contentType(PROBLEM_JSON);
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(json);
    }

    private static Problem fromHttpException(HttpException e) {
        Status status = e.status();
        int code = status.code();
        if (code >= 500) {
            LOG.log(Level.WARNING, "HTTP " + code + " while serving a request", e);
            return new Problem(ProblemTypes.INTERNAL, status.reasonPhrase(), code,
                               "The server failed to process the request; it has been logged.");
        }
        String type = switch (code) {
            case 404 -> ProblemTypes.NOT_FOUND;
            case 405 -> ProblemTypes.METHOD_NOT_ALLOWED;
            case 413 -> ProblemTypes.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemTypes.UNSUPPORTED_MEDIA_TYPE;
            case 400 -> ProblemTypes.INVALID_REQUEST;
            default -> ProblemTypes.HTTP_ERROR;
        };
        // Helidon's own 4xx messages describe the request ("Endpoint not found"), never internals.
        String detail = e.getMessage() == null || e.getMessage().isBlank() ? status.reasonPhrase() : e.getMessage();
        return new Problem(type, status.reasonPhrase(), code, detail);
    }
}
