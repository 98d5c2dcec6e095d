package dev.refgateway.orders;

import java.time.Instant;
import java.util.List;

/**
 * An order as clients see it. Money travels as strings with exactly two decimals ({@code "19.98"}), so no client
 * parses it into a binary floating point number by accident.
 *
 * @param id        the order id
 * @param userId    the user who placed it
 * @param status    CREATED, PAID, SHIPPED or CANCELLED
 * @param items     the lines
 * @param total     sum of the line totals
 * @param createdAt when it was placed (ISO-8601)
 * @param updatedAt when its status last changed (ISO-8601)
 */
public record OrderJson(long id,
                        long userId,
                        OrderStatus status,
                        List<Item> items,
                        String total,
                        Instant createdAt,
                        Instant updatedAt) {

    /**
     * One line.
     *
     * @param sku       the article
     * @param quantity  how many
     * @param unitPrice price of one, e.g. {@code "9.99"}
     * @param lineTotal {@code unitPrice × quantity}, e.g. {@code "19.98"}
     */
    public record Item(String sku, int quantity, String unitPrice, String lineTotal) {
    }

    public static OrderJson of(Order order) {
        List<Item> items = order.lines().stream()
                .map(line -> new Item(line.sku(), line.quantity(), line.unitPrice().toPlainString(),
                                      line.lineTotal().toPlainString()))
                .toList();
        return new OrderJson(order.id(), order.userId(), order.status(), items, order.total().toPlainString(),
                             order.createdAt(), order.updatedAt());
    }
}
