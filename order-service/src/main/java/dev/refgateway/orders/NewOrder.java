package dev.refgateway.orders;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import dev.refgateway.support.json.Fields;
import dev.refgateway.support.problem.ProblemException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A validated request to place an order. {@link #fromJson(JsonNode)} checks every field and names the first bad one
 * by its path, e.g. {@code items[1].quantity: 0 (expected: >= 1)}.
 * <p>
 * Limits keep every accepted order storable (NUMERIC(19,2) cannot overflow: 100 × 1 000 000 × 1 000 000.00 fits)
 * and keep one request from tying up the database.
 *
 * @param userId the user placing the order
 * @param lines  at least one line
 */
public record NewOrder(long userId, List<OrderLine> lines) {

    public static final int MAX_ITEMS = 100;
    public static final int MAX_SKU_LENGTH = 64;
    public static final int MAX_QUANTITY = 1_000_000;
    public static final BigDecimal MAX_UNIT_PRICE = new BigDecimal("1000000.00");

    public NewOrder {
        lines = List.copyOf(lines);
    }

    /**
     * Reads {@code {"userId": 1, "items": [{"sku": "A-1", "quantity": 2, "unitPrice": 9.99}]}}.
     *
     * @throws ProblemException 400 naming the first invalid field
     */
    public static NewOrder fromJson(JsonNode body) {
        long userId = Fields.requiredLong(body, "userId");
        if (userId < 1) {
            throw Fields.invalid("userId", body.get("userId"), "a positive integer");
        }
        JsonNode items = Fields.requiredArray(body, "items");
        if (items.isEmpty()) {
            throw ProblemException.badRequest("items: [] (expected: 1 to " + MAX_ITEMS + " items)");
        }
        if (items.size() > MAX_ITEMS) {
            throw ProblemException.badRequest("items: " + items.size() + " items (expected: at most " + MAX_ITEMS + ")");
        }
        List<OrderLine> lines = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            lines.add(line(items.get(i), "items[" + i + "]"));
        }
        return new NewOrder(userId, lines);
    }

    private static OrderLine line(JsonNode item, String path) {
        if (!item.isObject()) {
            throw Fields.invalid(path, item, "an object");
        }
        return new OrderLine(sku(item, path + ".sku"),
                             quantity(item, path + ".quantity"),
                             unitPrice(item, path + ".unitPrice"));
    }

    private static String sku(JsonNode item, String field) {
        String sku = Fields.requiredText(item, field);
        if (sku.isBlank()) {
            throw Fields.invalid(field, item.get("sku"), "not blank");
        }
        if (sku.length() > MAX_SKU_LENGTH) {
            throw Fields.invalid(field, item.get("sku"), "at most " + MAX_SKU_LENGTH + " characters");
        }
        // PostgreSQL refuses NUL in text; a control character in a SKU is a client bug either way.
        if (sku.chars().anyMatch(Character::isISOControl)) {
            throw Fields.invalid(field, item.get("sku"), "no control characters");
        }
        return sku;
    }

    private static int quantity(JsonNode item, String field) {
        // Read as a long so that 3000000000 is reported as too many, not as "not an integer".
        long quantity = Fields.requiredLong(item, field);
        if (quantity < 1) {
            throw Fields.invalid(field, item.get("quantity"), ">= 1");
        }
        if (quantity > MAX_QUANTITY) {
            throw Fields.invalid(field, item.get("quantity"), "<= " + MAX_QUANTITY);
        }
        return (int) quantity;
    }

    private static BigDecimal unitPrice(JsonNode item, String field) {
        BigDecimal price = Fields.requiredDecimal(item, field);
        if (price.signum() < 0) {
            throw Fields.invalid(field, item.get("unitPrice"), ">= 0");
        }
        if (price.compareTo(MAX_UNIT_PRICE) > 0) {
            throw Fields.invalid(field, item.get("unitPrice"), "<= " + MAX_UNIT_PRICE.toPlainString());
        }
        // 1.50 and 1.500 are the same amount; 1.505 is not an amount of money at all.
        if (price.stripTrailingZeros().scale() > OrderLine.SCALE) {
            throw Fields.invalid(field, item.get("unitPrice"), "at most " + OrderLine.SCALE + " decimal places");
        }
        return price;
    }
}
