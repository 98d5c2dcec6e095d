package dev.refgateway.orders;

import java.util.List;

/**
 * One page of orders, newest first, with what a client needs to fetch the next one (the same shape as
 * user-service's pages).
 *
 * @param items  the orders on this page
 * @param limit  the page size asked for
 * @param offset how many orders were skipped
 * @param total  how many orders match
 */
public record OrderPage(List<OrderJson> items, int limit, long offset, long total) {

    public OrderPage {
        items = List.copyOf(items);
    }
}
