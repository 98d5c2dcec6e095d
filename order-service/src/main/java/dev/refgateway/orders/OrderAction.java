package dev.refgateway.orders;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a client can do to an order: the whole status machine in one table. Each action names the status it leads
 * to and the statuses it may start from; every other start is a conflict.
 */
public enum OrderAction {
    PAY("pay", OrderStatus.PAID, EnumSet.of(OrderStatus.CREATED)),
    SHIP("ship", OrderStatus.SHIPPED, EnumSet.of(OrderStatus.PAID)),
    CANCEL("cancel", OrderStatus.CANCELLED, EnumSet.of(OrderStatus.CREATED, OrderStatus.PAID));

    private final String verb;
    private final OrderStatus target;
    private final Set<OrderStatus> allowedFrom;

    OrderAction(String verb, OrderStatus target, Set<OrderStatus> allowedFrom) {
        this.verb = verb;
        this.target = target;
        this.allowedFrom = allowedFrom;
    }

    /** The verb as it appears in the URL, {@code POST /orders/{id}/pay}. */
    public String verb() {
        return verb;
    }

    /** The status an order has after this action. */
    public OrderStatus target() {
        return target;
    }

    public boolean allowedFrom(OrderStatus status) {
        return allowedFrom.contains(status);
    }

    /**
     * Why this action cannot be applied to an order in {@code status}, e.g.
     * {@code order 7 is SHIPPED; cannot cancel (allowed from CREATED, PAID)}.
     */
    public String refusal(long orderId, OrderStatus status) {
        String allowed = allowedFrom.stream().map(OrderStatus::name).collect(Collectors.joining(", "));
        return "order " + orderId + " is " + status + "; cannot " + verb + " (allowed from " + allowed + ")";
    }
}
