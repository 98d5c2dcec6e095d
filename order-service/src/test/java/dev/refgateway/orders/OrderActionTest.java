package dev.refgateway.orders;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.refgateway.orders.OrderStatus.CANCELLED;
import static dev.refgateway.orders.OrderStatus.CREATED;
import static dev.refgateway.orders.OrderStatus.PAID;
import static dev.refgateway.orders.OrderStatus.SHIPPED;
import static org.assertj.core.api.Assertions.assertThat;

class OrderActionTest {

    /** The status machine, written out independently of the implementation's table. */
    private static final Map<OrderAction, Set<OrderStatus>> ALLOWED_FROM = Map.of(
            OrderAction.PAY, Set.of(CREATED),
            OrderAction.SHIP, Set.of(PAID),
            OrderAction.CANCEL, Set.of(CREATED, PAID));

    @ParameterizedTest
    @EnumSource(OrderAction.class)
    void everyActionIsAllowedExactlyFromItsStartingStatuses(OrderAction action) {
        for (OrderStatus status : OrderStatus.values()) {
            assertThat(action.allowedFrom(status))
                    .as("%s from %s", action, status)
                    .isEqualTo(ALLOWED_FROM.get(action).contains(status));
        }
    }

    @Test
    void actionsLeadToTheirStatus() {
        assertThat(OrderAction.PAY.target()).isEqualTo(PAID);
        assertThat(OrderAction.SHIP.target()).isEqualTo(SHIPPED);
        assertThat(OrderAction.CANCEL.target()).isEqualTo(CANCELLED);
    }

    @Test
    void shippedAndCancelledAreFinal() {
        assertThat(CREATED.isFinal()).isFalse();
        assertThat(PAID.isFinal()).isFalse();
        assertThat(SHIPPED.isFinal()).isTrue();
        assertThat(CANCELLED.isFinal()).isTrue();
    }

    @Test
    void refusalNamesTheCurrentStatusTheActionAndWhereItIsAllowedFrom() {
        assertThat(OrderAction.CANCEL.refusal(7, SHIPPED))
                .isEqualTo("order 7 is SHIPPED; cannot cancel (allowed from CREATED, PAID)");
        assertThat(OrderAction.SHIP.refusal(8, CREATED))
                .isEqualTo("order 8 is CREATED; cannot ship (allowed from PAID)");
        assertThat(OrderAction.PAY.refusal(9, CANCELLED))
                .isEqualTo("order 9 is CANCELLED; cannot pay (allowed from CREATED)");
    }
}
