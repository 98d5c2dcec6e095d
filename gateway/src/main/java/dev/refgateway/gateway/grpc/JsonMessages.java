package dev.refgateway.gateway.grpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

/**
 * An answer's messages as JSON: protobuf's mapping (lowerCamelCase names, 64-bit integers as strings, enums by
 * name), on one line, with every field present (a JSON client should not need to know that proto3 leaves out zeros
 * and empty lists); a rule's {@code response_body} sends one field of the answer instead of the whole.
 */
final class JsonMessages {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .omittingInsignificantWhitespace()
            .alwaysPrintFieldsWithNoPresence();
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonMessages() {
    }

    /**
     * @throws IOException when the answer cannot be written as JSON (an {@code Any} of a type the descriptor sets do
     *                     not have): the instance's answer is then unusable, as a broken one is
     */
    static byte[] print(Message message, String responseBody) throws IOException {
        try {
            String json = PRINTER.print(message);
            if (!responseBody.isEmpty()) {
                JsonNode node = JSON.readTree(json);
                Descriptors.Descriptor type = message.getDescriptorForType();
                for (String part : responseBody.split("\\.")) {
                    // the path was checked against the method's output type when the descriptor sets were read
                    Descriptors.FieldDescriptor field = type.findFieldByName(part);
                    node = node.path(field.getJsonName());
                    type = field.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE
                            ? field.getMessageType() : null;
                }
                json = node.isMissingNode() ? "null" : JSON.writeValueAsString(node);
            }
            return json.getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IOException("the answer cannot be written as JSON: " + e.getMessage(), e);
        }
    }
}
