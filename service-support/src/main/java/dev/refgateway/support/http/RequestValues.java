package dev.refgateway.support.http;

import java.util.OptionalLong;

import dev.refgateway.support.json.Fields;

import io.helidon.common.parameters.Parameters;
import io.helidon.webserver.http.ServerRequest;

import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Numbers from the path and the query string, checked, with a 400 problem that names the parameter and repeats the
 * text the client sent, e.g. {@code limit: "101" (expected: an integer from 1 to 100)}.
 */
public final class RequestValues {

    private RequestValues() {
    }

    /** The {@code {id}} path parameter as a positive integer. */
    public static long pathId(ServerRequest req) {
        return parse("id", req.path().pathParameters().get("id"), 1, Long.MAX_VALUE, "a positive integer");
    }

    /** A query parameter in {@code [min, max]}, or empty when absent. */
    public static OptionalLong queryLong(Parameters query, String name, long min, long max, String expectation) {
        if (!query.contains(name)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(parse(name, query.get(name), min, max, expectation));
    }

    private static long parse(String name, String raw, long min, long max, String expectation) {
        try {
            long value = Long.parseLong(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the text the client sent
        }
        throw Fields.invalid(name, TextNode.valueOf(raw), expectation);
    }
}
