package dev.refgateway.orders;

import java.util.OptionalLong;

import dev.refgateway.support.http.PageRequest;
import dev.refgateway.support.http.RequestValues;

import io.helidon.common.parameters.Parameters;

/**
 * Which orders a client asked for: {@code ?userId=1&limit=20&offset=0}; every parameter is optional.
 *
 * @param userId only this user's orders, or everybody's when empty
 * @param page   which page, newest first
 */
public record OrderQuery(OptionalLong userId, PageRequest page) {

    /**
     * Reads the query parameters; an absent one takes its default.
     *
     * @throws dev.refgateway.support.problem.ProblemException 400 naming the parameter and the text sent
     */
    static OrderQuery from(Parameters query) {
        OptionalLong userId = RequestValues.queryLong(query, "userId", 1, Long.MAX_VALUE, "a positive integer");
        return new OrderQuery(userId, PageRequest.from(query));
    }
}
