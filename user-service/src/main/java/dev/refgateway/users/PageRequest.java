package dev.refgateway.users;

import dev.refgateway.support.json.Fields;

import io.helidon.common.parameters.Parameters;

import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Which page of users a client asked for: {@code ?limit=20&offset=0}.
 *
 * @param limit  page size, 1 to {@value #MAX_LIMIT}
 * @param offset users to skip, {@code >= 0}
 */
public record PageRequest(int limit, long offset) {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: 1 to " + MAX_LIMIT + ")");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset: " + offset + " (expected: >= 0)");
        }
    }

    /**
     * Reads {@code limit} and {@code offset} from a query; an absent parameter takes its default.
     *
     * @throws dev.refgateway.support.problem.ProblemException 400 naming the parameter and its value
     */
    static PageRequest from(Parameters query) {
        long limit = parameter(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, "an integer from 1 to " + MAX_LIMIT);
        long offset = parameter(query, "offset", 0, 0, Long.MAX_VALUE, "an integer >= 0");
        return new PageRequest((int) limit, offset);
    }

    private static long parameter(Parameters query, String name, long defaultValue, long min, long max,
                                  String expectation) {
        if (!query.contains(name)) {
            return defaultValue;
        }
        String raw = query.get(name);
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
