package dev.refgateway.e2e.client;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One HTTP answer, read completely.
 *
 * @param status  the status code
 * @param headers the response headers
 * @param body    the body as text
 * @param elapsed from sending the request to the end of the body
 */
public record Reply(int status, HttpHeaders headers, String body, Duration elapsed) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /** Which instance answered ({@code X-Instance-Id}, set by the service); empty when the gateway answered. */
    public String instanceId() {
        return header("X-Instance-Id").orElse("");
    }

    public String contentType() {
        return header("Content-Type").orElse("");
    }

    /** The body parsed as JSON; an assertion error naming the body when it is not JSON. */
    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError("Not JSON: " + this, e);
        }
    }

    /** For assertion messages: status, the headers that explain a failure, the body. */
    @Override
    public String toString() {
        return status + " in " + elapsed.toMillis() + " ms"
                + header("Gateway-Attempts").map(a -> ", Gateway-Attempts: " + a).orElse("")
                + header("X-Instance-Id").map(i -> ", X-Instance-Id: " + i).orElse("")
                + ", body: " + (body.length() > 500 ? body.substring(0, 500) + "..." : body);
    }
}
