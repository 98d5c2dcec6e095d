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

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonFormat.Printer printer;
    private final int maxChars;

    /**
     * @param types    the descriptor sets' message types (an {@code Any} of one is written like any message)
     * @param maxChars the longest JSON text one message may make: a small message can stand for a very large
     *                 document (a list of empty entries, every field then written out), and the gateway's heap must
     *                 not be what finds out
     */
    JsonMessages(JsonFormat.TypeRegistry types, int maxChars) {
        this.printer = JsonFormat.printer()
                .usingTypeRegistry(types)
                .omittingInsignificantWhitespace()
                .alwaysPrintFieldsWithNoPresence();
        this.maxChars = maxChars;
    }

    /**
     * @throws IOException when the answer cannot be written as JSON (an {@code Any} of a type the descriptor sets do
     *                     not have, a document longer than the limit): the instance's answer is then unusable, as a
     *                     broken one is
     */
    byte[] print(Message message, String responseBody) throws IOException {
        try {
            Bounded text = new Bounded(maxChars);
            printer.appendTo(message, text);
            String json = text.toString();
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

    /** A StringBuilder that refuses to grow past its limit. */
    private static final class Bounded implements Appendable {
        private final StringBuilder text = new StringBuilder();
        private final int max;

        Bounded(int max) {
            this.max = max;
        }

        @Override
        public Appendable append(CharSequence chars) throws IOException {
            return append(chars, 0, chars.length());
        }

        @Override
        public Appendable append(CharSequence chars, int start, int end) throws IOException {
            room(end - start);
            text.append(chars, start, end);
            return this;
        }

        @Override
        public Appendable append(char c) throws IOException {
            room(1);
            text.append(c);
            return this;
        }

        private void room(int more) throws IOException {
            if (text.length() + more > max) {
                throw new IOException("the answer's JSON would be longer than " + max + " characters");
            }
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
