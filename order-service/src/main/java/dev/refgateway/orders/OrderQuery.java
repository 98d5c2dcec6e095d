package dev.refgateway.orders;

import java.util.OptionalLong;

import dev.refgateway.support.json.Fields;

import io.helidon.common.parameters.Parameters;

import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Which orders a client asked for: {@code ?userId=1&limit=20&offset=0}; every parameter is optional.
 *
 * @param userId only this user's orders, or everybody's when empty
 * @param limit  page size, 1 to {@value #MAX_LIMIT}
 * @param offset orders to skip, {@code >= 0}
 */
public record OrderQuery(OptionalLong userId, int limit, long offset) {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    public OrderQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: 1 to " + MAX_LIMIT + ")");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset: " + offset + " (expected: >= 0)");
        }
    }

    /**
     * Reads the query parameters; an absent one takes its default.
     *
     * @throws dev.refgateway.support.problem.ProblemException 400 naming the parameter and the text sent
     */
    static OrderQuery from(Parameters query) {
        OptionalLong userId = query.contains("userId")
                ? OptionalLong.of(parameter(query, "userId", 1, Long.MAX_VALUE, "a positive integer"))
                : OptionalLong.empty();
        long limit = query.contains("limit")
                ? parameter(query, "limit", 1, MAX_LIMIT, "an integer from 1 to " + MAX_LIMIT)
                : DEFAULT_LIMIT;
        long offset = query.contains("offset")
                ? parameter(query, "offset", 0, Long.MAX_VALUE, "an integer >= 0")
                : 0;
        return new OrderQuery(userId, (int) limit, offset);
    }

    private static long parameter(Parameters query, String name, long min, long max, String expectation) {
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
