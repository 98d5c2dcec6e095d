package dev.refgateway.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An order as stored. Its {@link #total()} is derived from its lines, never stored apart from them.
 *
 * @param id        assigned by the database
 * @param userId    the user (in user-service) who placed it
 * @param status    where it is in its life
 * @param lines     what was ordered, in the order the client sent it
 * @param createdAt when it was placed
 * @param updatedAt when its status last changed
 */
public record Order(long id,
                    long userId,
                    OrderStatus status,
                    List<OrderLine> lines,
                    Instant createdAt,
                    Instant updatedAt) {

    public Order {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        lines = List.copyOf(lines);
    }

    public BigDecimal total() {
        return OrderLine.total(lines);
    }

    /** This order after a status change at {@code at}. */
    public Order withStatus(OrderStatus next, Instant at) {
        return new Order(id, userId, next, lines, createdAt, at);
    }
}
