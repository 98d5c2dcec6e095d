package dev.refgateway.gateway.http1;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;

/** The chunked decoder over open-ended input: valid bodies decode to their data however they arrive; anything else
 * ends in {@link MalformedMessage}, never another exception. */
class ChunkedDecoderProperties {

    @Property(tries = 1000)
    void aValidBodyDecodesToItsDataHoweverItArrives(@ForAll("chunks") List<String> chunks,
                                                    @ForAll @IntRange(min = 1, max = 50) int pieceSize) {
        StringBuilder body = new StringBuilder();
        for (String chunk : chunks) {
            body.append(Integer.toHexString(chunk.length())).append(";name=\"v\\\"q\"\r\n").append(chunk)
                    .append("\r\n");
        }
        body.append("0\r\nTrailer-A: x\r\n\r\nNEXT");

        Decoded decoded = decode(body.toString(), pieceSize);

        assertThat(decoded.failure).isNull();
        assertThat(decoded.data).isEqualTo(String.join("", chunks));
        assertThat(decoded.rest).isEqualTo("NEXT");
    }

    @Property(tries = 3000)
    void arbitraryBytesAreDecodedOrRefusedNeverAnythingElse(@ForAll("noise") String noise,
                                                            @ForAll @IntRange(min = 1, max = 20) int pieceSize) {
        Decoded decoded = decode(noise, pieceSize);

        if (decoded.failure != null) {
            assertThat(decoded.failure).isInstanceOf(MalformedMessage.class);
        }
    }

    @Provide
    Arbitrary<List<String>> chunks() {
        return Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(40).list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> noise() {
        return Arbitraries.of("0", "1", "a", "F", "x", ";", "=", "\"", "\\", " ", "\t", "\r", "\n", "\r\n", "ff",
                              "10000000000000000", ":", "\u0000").list().ofMaxSize(30).map(l -> String.join("", l));
    }

    private static Decoded decode(String input, int pieceSize) {
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        ChunkedDecoder decoder = new ChunkedDecoder(100);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int from = 0;
        try {
            while (from < bytes.length && !decoder.finished()) {
                int to = Math.min(bytes.length, from + pieceSize);
                int pos = from;
                while (pos < to && !decoder.finished()) {
                    pos = decoder.skipFraming(bytes, pos, to);
                    int n = (int) Math.min(decoder.dataRemaining(), to - pos);
                    if (n > 0) {
                        data.write(bytes, pos, n);
                        decoder.dataTaken(n);
                        pos += n;
                    }
                }
                from = pos;
            }
        } catch (RuntimeException e) {
            return new Decoded(data.toString(StandardCharsets.ISO_8859_1), "", e);
        }
        return new Decoded(data.toString(StandardCharsets.ISO_8859_1),
                           new String(bytes, from, bytes.length - from, StandardCharsets.ISO_8859_1), null);
    }

    private record Decoded(String data, String rest, RuntimeException failure) {
    }
}
