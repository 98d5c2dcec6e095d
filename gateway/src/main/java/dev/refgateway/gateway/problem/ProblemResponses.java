package dev.refgateway.gateway.problem;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/**
 * Writes RFC 9457 problem details. The gateway's failures all leave through here, so their shape never drifts.
 */
public final class ProblemResponses {

    public static final HttpMediaType PROBLEM_JSON = HttpMediaType.create("application/problem+json");
    /** Every problem {@code type} starts with this. */
    public static final String BASE = "https://refgateway.dev/problems/";

    private ProblemResponses() {
    }

    /** Sends {@code problem} with a client-safe {@code detail} for the request at {@code path}. */
    public static void send(ServerResponse res, GatewayProblem problem, String detail, String path) {
        send(res, problem.status(), problem.type(), problem.title(), detail, path);
    }

    /** Sends a problem of any status and type (also used for errors outside the proxy path). */
    public static void send(ServerResponse res, Status status, String type, String title, String detail, String path) {
        String body = body(status, type, title, detail, path);
        res.status(status);
        res.headers().contentType(PROBLEM_JSON);
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A complete HTTP/1.1 response carrying {@code problem} and {@code Connection: close}, for the few answers
     * written straight to a connection outside any request (there is no request path: {@code instance} is empty).
     */
    public static byte[] closingResponse(GatewayProblem problem, String detail) {
        byte[] body = body(problem.status(), problem.type(), problem.title(), detail, "")
                .getBytes(StandardCharsets.UTF_8);
        byte[] head = ("HTTP/1.1 " + problem.status().code() + " " + problem.status().reasonPhrase() + "\r\n"
                + "Content-Type: " + PROBLEM_JSON.text() + "\r\n"
                + "Cache-Control: no-store\r\n"
                + "Connection: close\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] response = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, response, head.length, body.length);
        return response;
    }

    /** A problem document as bytes, for answers the gateway builds before it knows who relays them. */
    public static byte[] json(Status status, String type, String title, String detail, String path) {
        return body(status, type, title, detail, path).getBytes(StandardCharsets.UTF_8);
    }

    static String body(Status status, String type, String title, String detail, String path) {
        return JsonText.object(json -> {
            json.writeStringField("type", type);
            json.writeStringField("title", title);
            json.writeNumberField("status", status.code());
            json.writeStringField("detail", detail);
            json.writeStringField("instance", path);
        });
    }
}
