package dev.refgateway.orders;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderLineTest {

    @Test
    void lineTotalIsExactWhereADoubleWouldNotBe() {
        assertThat(0.10 * 3).isNotEqualTo(0.30);

        assertThat(new OrderLine("A", 3, new BigDecimal("0.10")).lineTotal()).hasToString("0.30");
        assertThat(new OrderLine("B", 3, new BigDecimal("19.99")).lineTotal()).hasToString("59.97");
    }

    @Test
    void totalIsTheExactSumOfLineTotalsWithTwoDecimals() {
        List<OrderLine> lines = List.of(new OrderLine("A", 3, new BigDecimal("0.10")),
                                        new OrderLine("B", 3, new BigDecimal("19.99")),
                                        new OrderLine("C", 1, new BigDecimal("0.01")));

        assertThat(OrderLine.total(lines)).hasToString("60.28");
        assertThat(OrderLine.total(List.of())).hasToString("0.00");
    }

    @Test
    void pricesAreKeptWithTwoDecimalsWhateverScaleTheyCameWith() {
        assertThat(new OrderLine("A", 2, new BigDecimal("5")).unitPrice()).hasToString("5.00");
        assertThat(new OrderLine("A", 2, new BigDecimal("5")).lineTotal()).hasToString("10.00");
        assertThat(new OrderLine("A", 1, new BigDecimal("19.900")).unitPrice()).hasToString("19.90");
        assertThat(new OrderLine("A", 1, new BigDecimal("1E+2")).unitPrice()).hasToString("100.00");
    }

    @Test
    void largestAcceptedOrderStaysExact() {
        OrderLine line = new OrderLine("A", NewOrder.MAX_QUANTITY, NewOrder.MAX_UNIT_PRICE);
        List<OrderLine> lines = java.util.Collections.nCopies(NewOrder.MAX_ITEMS, line);

        assertThat(OrderLine.total(lines).toPlainString()).isEqualTo("100000000000000.00");
    }

    @Test
    void aThirdDecimalIsRefusedNotRounded() {
        assertThatThrownBy(() -> new OrderLine("A", 1, new BigDecimal("1.005")))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void quantityAndPriceOutsideTheirRangeAreRefused() {
        assertThatThrownBy(() -> new OrderLine("A", 0, BigDecimal.ONE))
                .hasMessage("quantity: 0 (expected: >= 1)");
        assertThatThrownBy(() -> new OrderLine("A", 1, new BigDecimal("-0.01")))
                .hasMessage("unitPrice: -0.01 (expected: >= 0)");
    }
}
