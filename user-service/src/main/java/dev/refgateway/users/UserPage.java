package dev.refgateway.users;

import java.util.List;

/**
 * One page of users, ordered by id, with what a client needs to fetch the next one.
 *
 * @param items  the users on this page
 * @param limit  the page size asked for
 * @param offset how many users were skipped
 * @param total  how many users exist
 */
public record UserPage(List<User> items, int limit, long offset, long total) {

    public UserPage {
        items = List.copyOf(items);
    }
}
