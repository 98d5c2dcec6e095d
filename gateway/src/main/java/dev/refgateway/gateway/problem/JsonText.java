package dev.refgateway.gateway.problem;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;

/**
 * The one way the gateway writes JSON by hand (problem bodies, access-log lines): a JSON object on one line, from
 * Jackson's streaming generator with one escaping rule. Jackson escapes the quote, the backslash and every control
 * character below U+0020 ({@code \n}, {@code \r}, {@code \t}, {@code \b}, {@code \f}, else {@code \}{@code u00XX});
 * on top of that DEL, the C1 controls (U+0080-U+009F) and U+2028/U+2029 leave as {@code \}{@code uXXXX}. JSON
 * allows those raw, but log shippers, editors and terminals may take NEL (U+0085), U+2028 or U+2029 for a line
 * break or act on a control, and a client-chosen path or header must never forge a second access-log line. Other
 * characters stay as they are (UTF-8 on the wire).
 * <p>
 * Used on every request (the access log) and on failure paths under attack (problems), so the factory is shared and
 * its buffers come from a small pool shared by all threads: Jackson's default pool is per thread, and the server's
 * virtual threads (one per connection) are too short-lived to reuse it; on a fresh thread that made a line cost about
 * twice as much.
 */
public final class JsonText {

    // Writing never blocks, so about one set of buffers per carrier thread is in use at a time; the rest is headroom.
    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .characterEscapes(new LineSafeEscapes())
            .recyclerPool(JsonRecyclerPools.newBoundedPool(4 * Runtime.getRuntime().availableProcessors()))
            .build();

    private JsonText() {
    }

    /** The fields of one object, written in order. */
    @FunctionalInterface
    public interface Fields {

        /** Writes the fields ({@code writeStringField} and the like) between the braces. */
        void write(JsonGenerator json) throws IOException;
    }

    /** The object {@code fields} writes, as compact JSON text; a null string value is written as {@code null}. */
    public static String object(Fields fields) {
        // Room for an access-log line (about 300 characters), so the writer does not grow.
        StringWriter out = new StringWriter(384);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Writing JSON to a string failed", e);
        }
        return out.toString();
    }

    /** Jackson's escapes for JSON, plus DEL, C1 and U+2028/U+2029 (see the class description). */
    private static final class LineSafeEscapes extends CharacterEscapes {

        private static final int[] ASCII = asciiEscapes();
        private static final SerializableString[] C1 = c1Escapes();
        private static final SerializableString LINE_SEPARATOR = unicodeEscape('\u2028');
        private static final SerializableString PARAGRAPH_SEPARATOR = unicodeEscape('\u2029');

        @Override
        public int[] getEscapeCodesForAscii() {
            return ASCII;
        }

        @Override
        public SerializableString getEscapeSequence(int c) {
            // Asked for every character above ASCII: keep the common case to two comparisons.
            if (c < 0x2028) {
                return c <= 0x9F ? C1[c - 0x80] : null;
            }
            return c == 0x2028 ? LINE_SEPARATOR : c == 0x2029 ? PARAGRAPH_SEPARATOR : null;
        }

        private static int[] asciiEscapes() {
            int[] escapes = CharacterEscapes.standardAsciiEscapesForJSON();
            escapes[0x7F] = CharacterEscapes.ESCAPE_STANDARD;
            return escapes;
        }

        private static SerializableString[] c1Escapes() {
            SerializableString[] escapes = new SerializableString[0x20];
            for (int i = 0; i < escapes.length; i++) {
                escapes[i] = unicodeEscape((char) (0x80 + i));
            }
            return escapes;
        }

        private static SerializableString unicodeEscape(char c) {
            return new SerializedString(String.format("\\u%04X", (int) c));
        }
    }
}
