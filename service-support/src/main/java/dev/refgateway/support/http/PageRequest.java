package dev.refgateway.support.http;

import io.helidon.common.parameters.Parameters;

/**
 * Which page of a list a client asked for: {@code ?limit=20&offset=0}.
 *
 * @param limit  page size, 1 to {@value #MAX_LIMIT}
 * @param offset items to skip, {@code >= 0}
 */
public record PageRequest(int limit, long offset) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

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
    public static PageRequest from(Parameters query) {
        long limit = RequestValues.queryLong(query, "limit", 1, MAX_LIMIT, "an integer from 1 to " + MAX_LIMIT)
                .orElse(DEFAULT_LIMIT);
        long offset = RequestValues.queryLong(query, "offset", 0, Long.MAX_VALUE, "an integer >= 0").orElse(0);
        return new PageRequest((int) limit, offset);
    }
}
