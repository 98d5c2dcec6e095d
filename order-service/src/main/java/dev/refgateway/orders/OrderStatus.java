package dev.refgateway.orders;

/**
 * Where an order is in its life. Which status may follow which is decided by {@link OrderAction}, in one table:
 * <pre>
 * CREATED --pay--> PAID --ship--> SHIPPED
 *    |              |
 *    +---cancel-----+-----> CANCELLED
 * </pre>
 */
public enum OrderStatus {
    CREATED,
    PAID,
    SHIPPED,
    CANCELLED;

    /** Whether no action can change this status any more. */
    public boolean isFinal() {
        for (OrderAction action : OrderAction.values()) {
            if (action.allowedFrom(this)) {
                return false;
            }
        }
        return true;
    }
}
