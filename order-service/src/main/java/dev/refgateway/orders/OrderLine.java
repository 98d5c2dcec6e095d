package dev.refgateway.orders;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Objects;

/**
 * One line of an order. Money is exact: {@code unitPrice} has two decimal places and {@link #lineTotal()} is
 * {@code unitPrice × quantity}, computed with {@link BigDecimal} (so 3 × 0.10 is 0.30, not 0.30000000000000004).
 *
 * @param sku       the article's stock-keeping unit
 * @param quantity  how many, at least 1
 * @param unitPrice price of one, at least 0, scale 2
 */
public record OrderLine(String sku, int quantity, BigDecimal unitPrice) {

    /** Money's scale: cents. */
    public static final int SCALE = 2;

    public OrderLine {
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(unitPrice, "unitPrice");
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity: " + quantity + " (expected: >= 1)");
        }
        if (unitPrice.signum() < 0) {
            throw new IllegalArgumentException("unitPrice: " + unitPrice + " (expected: >= 0)");
        }
        // UNNECESSARY: a price with a third decimal is a caller's bug, never something to round silently.
        unitPrice = unitPrice.setScale(SCALE, RoundingMode.UNNECESSARY);
    }

    public BigDecimal lineTotal() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }

    /** The sum of the lines' totals, scale 2; 0.00 for no lines. */
    public static BigDecimal total(List<OrderLine> lines) {
        BigDecimal total = BigDecimal.ZERO.setScale(SCALE);
        for (OrderLine line : lines) {
            total = total.add(line.lineTotal());
        }
        return total;
    }
}
