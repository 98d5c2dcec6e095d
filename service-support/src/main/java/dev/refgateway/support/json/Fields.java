package dev.refgateway.support.json;

import java.math.BigDecimal;
import java.util.Optional;

import dev.refgateway.support.problem.ProblemException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed access to fields of a JSON object. Each method throws a 400 problem whose detail names the field and the
 * bad value, e.g. {@code quantity: "abc" (expected: an integer)}. {@code field} may be a path such as
 * {@code items[1].quantity}; only its last segment is looked up in {@code object}.
 */
public final class Fields {

    private static final int MAX_SHOWN = 40;

    private Fields() {
    }

    public static String requiredText(JsonNode object, String field) {
        JsonNode value = required(object, field);
        if (!value.isTextual()) {
            throw invalid(field, value, "a string");
        }
        return value.textValue();
    }

    public static Optional<String> optionalText(JsonNode object, String field) {
        JsonNode value = object.get(leaf(field));
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw invalid(field, value, "a string");
        }
        return Optional.of(value.textValue());
    }

    public static long requiredLong(JsonNode object, String field) {
        JsonNode value = required(object, field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw invalid(field, value, "an integer");
        }
        return value.longValue();
    }

    public static int requiredInt(JsonNode object, String field) {
        JsonNode value = required(object, field);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw invalid(field, value, "an integer");
        }
        return value.intValue();
    }

    /** An exact decimal: parsed from the JSON number's own text, never through a double. */
    public static BigDecimal requiredDecimal(JsonNode object, String field) {
        JsonNode value = required(object, field);
        if (!value.isNumber()) {
            throw invalid(field, value, "a number");
        }
        return value.decimalValue();
    }

    public static JsonNode requiredArray(JsonNode object, String field) {
        JsonNode value = required(object, field);
        if (!value.isArray()) {
            throw invalid(field, value, "an array");
        }
        return value;
    }

    public static JsonNode requiredObject(JsonNode object, String field) {
        JsonNode value = required(object, field);
        if (!value.isObject()) {
            throw invalid(field, value, "an object");
        }
        return value;
    }

    /** A 400 problem: {@code field: shown-value (expected: expectation)}. */
    public static ProblemException invalid(String field, JsonNode value, String expectation) {
        return ProblemException.badRequest(field + ": " + show(value) + " (expected: " + expectation + ")");
    }

    private static JsonNode required(JsonNode object, String field) {
        JsonNode value = object.get(leaf(field));
        if (value == null || value.isNull()) {
            throw ProblemException.badRequest(field + ": missing (required)");
        }
        return value;
    }

    private static String leaf(String field) {
        int dot = field.lastIndexOf('.');
        return dot < 0 ? field : field.substring(dot + 1);
    }

    private static String show(JsonNode value) {
        String text = value.toString();
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "…";
    }
}
