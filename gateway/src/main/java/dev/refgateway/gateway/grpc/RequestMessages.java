package dev.refgateway.gateway.grpc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

/**
 * Builds a method's request message from an HTTP request, as a {@code google.api.http} rule says: the body (the whole
 * message for {@code body: "*"}, else the named field), then the query parameters (each a field path, repeated for a
 * repeated field), then the path's variables, which win. Every value goes through protobuf's JSON mapping, so
 * {@code "42"} is a valid int64 and an enum is given by name; unknown fields, bad numbers and a repeated singular
 * parameter are refused with a message naming them ({@link InvalidRequest}).
 */
final class RequestMessages {

    // Strict where Jackson is lenient by default: a key twice, anything after the document, and decimals kept exact
    // (protobuf's parser sees the number as written, not a double's rounding of it).
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** Why a request cannot be translated; the message is safe to show the client. */
    static final class InvalidRequest extends Exception {
        InvalidRequest(String message) {
            super(message, null, false, false);
        }
    }

    private RequestMessages() {
    }

    /**
     * @param parser protobuf's JSON parser, knowing the descriptor sets' types (for {@code Any})
     */
    static DynamicMessage build(HttpBinding binding, Map<String, String> pathValues, String rawQuery, byte[] body,
                                JsonFormat.Parser parser) throws InvalidRequest {
        Descriptors.Descriptor type = binding.method().getInputType();
        DynamicMessage.Builder message = DynamicMessage.newBuilder(type);
        Set<String> pathBound = new HashSet<>();
        for (String variable : pathValues.keySet()) {
            pathBound.add(canonical(type, variable));
        }
        String bodyField = binding.body();
        if (bodyField.isEmpty()) {
            if (body.length > 0) {
                throw new InvalidRequest("a request body (expected: none; " + binding.method().getFullName()
                                                 + " takes its request from the path and the query)");
            }
        } else {
            JsonNode json = parseBody(body);
            merge(message, type, bodyField.equals("*") ? json : nest(bodyField, json), "the body", parser);
        }
        Map<String, List<String>> query = query(rawQuery);
        if (!query.isEmpty()) {
            if (bodyField.equals("*")) {
                throw new InvalidRequest("query parameters " + query.keySet() + " (expected: none; the body is the "
                                                 + "whole request of " + binding.method().getFullName() + ")");
            }
            Map<String, List<String>> byField = new LinkedHashMap<>();
            Map<String, String> nameOf = new HashMap<>();
            for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
                // user_id and userId name one field: their values count together
                String field = canonical(type, parameter.getKey());
                nameOf.putIfAbsent(field, parameter.getKey());
                byField.computeIfAbsent(field, f -> new ArrayList<>()).addAll(parameter.getValue());
            }
            for (Map.Entry<String, List<String>> parameter : byField.entrySet()) {
                String name = nameOf.get(parameter.getKey());
                if (pathBound.contains(parameter.getKey())) {
                    throw new InvalidRequest("query parameter " + name + " (expected: none for a field the path "
                                                     + "binds)");
                }
                Descriptors.FieldDescriptor field = field(type, name);
                if (field != null && !field.isRepeated() && parameter.getValue().size() > 1) {
                    throw new InvalidRequest("query parameter " + name + ": given "
                                                     + parameter.getValue().size() + " times (expected: once)");
                }
                JsonNode value;
                if (field != null && field.isRepeated()) {
                    ArrayNode values = JSON.createArrayNode();
                    parameter.getValue().forEach(values::add);
                    value = values;
                } else {
                    value = JSON.getNodeFactory().textNode(parameter.getValue().getFirst());
                }
                merge(message, type, nest(name, value), "query parameter " + name, parser);
            }
        }
        // The path decides: whatever the body set in a field the path binds is cleared first, so that the path's
        // value holds even when it is the field's default (which protobuf would not merge over another value).
        for (String bound : pathBound) {
            clear(message, bound.split("\\."), 0);
        }
        for (Map.Entry<String, String> variable : pathValues.entrySet()) {
            merge(message, type, nest(variable.getKey(), JSON.getNodeFactory().textNode(variable.getValue())),
                  "path variable " + variable.getKey(), parser);
        }
        return message.build();
    }

    private static JsonNode parseBody(byte[] body) throws InvalidRequest {
        if (body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidRequest("the body (expected: JSON; " + e.getOriginalMessage() + ")");
        } catch (java.io.IOException e) {
            throw new InvalidRequest("the body (expected: JSON; " + e.getMessage() + ")");
        }
    }

    /**
     * Parses one part on its own and merges it in with protobuf's rules: a later part's value replaces an earlier
     * one's (the JSON parser would refuse a field set twice), repeated fields add up, messages merge.
     */
    private static void merge(DynamicMessage.Builder message, Descriptors.Descriptor type, JsonNode json,
                              String where, JsonFormat.Parser parser) throws InvalidRequest {
        DynamicMessage.Builder part = DynamicMessage.newBuilder(type);
        try {
            parser.merge(json.toString(), part);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new InvalidRequest(where + " (" + e.getMessage() + ")");
        }
        message.mergeFrom(part.build());
    }

    /** Clears the field at {@code path} (from {@code at}) in {@code message}, rebuilding the messages on the way. */
    private static void clear(DynamicMessage.Builder message, String[] path, int at) {
        Descriptors.FieldDescriptor field = message.getDescriptorForType().findFieldByName(path[at]);
        if (field == null) {
            return;
        }
        if (at == path.length - 1) {
            message.clearField(field);
        } else if (message.hasField(field) && !field.isRepeated()
                && field.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE) {
            DynamicMessage.Builder inner = DynamicMessage.newBuilder(field.getMessageType())
                    .mergeFrom((com.google.protobuf.Message) message.getField(field));
            clear(inner, path, at + 1);
            message.setField(field, inner.build());
        }
    }

    /** {@code {"a": {"b": value}}} for the field path {@code a.b}. */
    private static JsonNode nest(String path, JsonNode value) {
        ObjectNode root = JSON.createObjectNode();
        put(root, path, value);
        return root;
    }

    private static void put(ObjectNode root, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        ObjectNode at = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = at.get(parts[i]);
            at = next instanceof ObjectNode object ? object : at.putObject(parts[i]);
        }
        at.set(parts[parts.length - 1], value);
    }

    /** The field at a dotted path by proto or JSON name, or null (the JSON parser then names it as unknown). */
    private static Descriptors.FieldDescriptor field(Descriptors.Descriptor type, String path) {
        List<Descriptors.FieldDescriptor> fields = fields(type, path);
        return fields == null ? null : fields.getLast();
    }

    /** The field path with each part by its proto name ({@code userId} → {@code user_id}); as given if unknown. */
    private static String canonical(Descriptors.Descriptor type, String path) {
        List<Descriptors.FieldDescriptor> fields = fields(type, path);
        return fields == null ? path
                : String.join(".", fields.stream().map(Descriptors.FieldDescriptor::getName).toList());
    }

    /** The fields along a dotted path, each part a proto or JSON name; null when a part names no field. */
    private static List<Descriptors.FieldDescriptor> fields(Descriptors.Descriptor type, String path) {
        Descriptors.Descriptor at = type;
        List<Descriptors.FieldDescriptor> fields = new ArrayList<>();
        for (String part : path.split("\\.")) {
            if (at == null) {
                return null;
            }
            Descriptors.FieldDescriptor field = at.findFieldByName(part);
            if (field == null) {
                field = at.getFields().stream().filter(f -> f.getJsonName().equals(part)).findFirst().orElse(null);
            }
            if (field == null) {
                return null;
            }
            fields.add(field);
            at = field.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE ? field.getMessageType() : null;
        }
        return fields;
    }

    /** The query's parameters in order, names and values percent-decoded ({@code +} is a space, as in a form). */
    private static Map<String, List<String>> query(String rawQuery) throws InvalidRequest {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (name.isEmpty()) {
                throw new InvalidRequest("a query parameter without a name (\"" + pair + "\")");
            }
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static String decode(String text) throws InvalidRequest {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest("the query (expected: valid percent-encoding; \"" + text + "\")");
        }
    }
}
