package dev.refgateway.support.json;

import java.io.IOException;

import dev.refgateway.support.problem.ProblemException;
import dev.refgateway.support.problem.ProblemTypes;

import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Reading and writing JSON bodies. Requests are parsed into a tree and validated field by field ({@link Fields}),
 * so every error names the field; responses are records, maps or lists written by Jackson.
 */
public final class JsonBodies {

    private static final HttpMediaType APPLICATION_JSON = HttpMediaType.create("application/json");
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // Prices and totals keep their exact decimal text ("19.90", not 19.9).
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBodies() {
    }

    /** The shared, configured mapper (thread-safe). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * The request body as a JSON object.
     *
     * @throws ProblemException 400 when the body is empty, not JSON, or JSON but not an object
     */
    public static JsonNode readObject(ServerRequest req) {
        if (!req.content().hasEntity()) {
            throw ProblemException.badRequest("The request body is empty (expected: a JSON object)");
        }
        try {
            return readObject(req.content().inputStream().readAllBytes());
        } catch (IOException e) {
            throw malformed("the body could not be read");
        }
    }

    /**
     * A request body, read already, as a JSON object.
     *
     * @throws ProblemException 400 when the body is empty, not JSON, or JSON but not an object
     */
    public static JsonNode readObject(byte[] body) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonParseException e) {
            throw malformed("at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                                    + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw malformed(e.getOriginalMessage());
        } catch (IOException e) {
            throw malformed("the body could not be read");
        }
        if (node == null || node.isMissingNode()) {
            throw ProblemException.badRequest("The request body is empty (expected: a JSON object)");
        }
        if (!node.isObject()) {
            throw ProblemException.badRequest("The request body is a JSON " + node.getNodeType().name().toLowerCase()
                                                      + " (expected: a JSON object)");
        }
        return node;
    }

    /** Sends {@code body} as {@code application/json} with {@code status}. */
    public static void send(ServerResponse res, Status status, Object body) {
        byte[] json;
        try {
            json = MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not serialise a " + body.getClass().getName(), e);
        }
        res.status(status);
        res.headers().contentType(APPLICATION_JSON);
        res.send(json);
    }

    private static ProblemException malformed(String why) {
        return new ProblemException(Status.BAD_REQUEST_400, ProblemTypes.MALFORMED_JSON, "Malformed JSON",
                                    "The request body is not valid JSON " + why);
    }
}
