package dev.refgateway.gateway.edge;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the framer over open-ended input: how the bytes are split into reads never changes what Helidon
 * gets, and no input — however broken — gets anything but whole, checked requests or a refusal, after which nothing
 * more is handed over.
 */
class RequestFramerProperties {

    @Property(tries = 500)
    void howTheBytesArriveDoesNotChangeWhatHelidonGets(@ForAll("streams") String stream,
                                                        @ForAll @IntRange(min = 1, max = 40) int pieceSize) {
        FramerRun whole = FramerRun.of(stream);
        FramerRun pieces = FramerRun.of(stream, pieceSize);

        // chunk boundaries follow the reads (each piece of data is handed on as it comes); the data does not
        assertThat(decoded(pieces.requests())).isEqualTo(decoded(whole.requests()));
        assertThat(pieces.refusal()).isEqualTo(whole.refusal());
    }

    private static List<String> decoded(List<String> requests) {
        return requests.stream().map(request -> {
            int bodyStart = request.indexOf("\r\n\r\n") + 4;
            return request.contains("Transfer-Encoding: chunked")
                    ? request.substring(0, bodyStart) + RequestFramerTest.dechunk(request.substring(bodyStart))
                    : request;
        }).toList();
    }

    @Property(tries = 2000)
    void brokenInputEndsInARefusalNeverInARequestBuiltFromItsRemains(@ForAll("streams") String stream,
                                                                      @ForAll("mutations") Mutation mutation) {
        String broken = mutation.apply(stream);

        FramerRun run = FramerRun.of(broken, 7);

        for (String request : run.requests()) {
            // every request handed over is one the framer would hand over on its own, unchanged
            FramerRun again = FramerRun.of(request);
            assertThat(again.refusal()).isNull();
            assertThat(again.requests()).containsExactly(request);
        }
        if (run.refusal() != null) {
            assertThat(run.refusal().detail()).isNotBlank();
            assertThat(run.refusal().problem().status().code()).isIn(400, 414, 431, 501, 505);
        }
    }

    @Provide
    Arbitrary<String> streams() {
        Arbitrary<String> get = Arbitraries.of("GET /a HTTP/1.1\r\nHost: h\r\n\r\n",
                                               "GET /users/%2e%2e/x?y HTTP/1.1\r\nHost: h\r\nX-A: b\r\n\r\n",
                                               "HEAD / HTTP/1.0\r\n\r\n",
                                               "GET http://h/p HTTP/1.1\r\n\r\n");
        Arbitrary<String> fixed = Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(30)
                .map(body -> "POST /f HTTP/1.1\r\nHost: h\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        Arbitrary<String> chunked = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12)
                .list().ofMaxSize(4)
                .map(RequestFramerProperties::chunkedRequest);
        return Arbitraries.oneOf(get, fixed, chunked).list().ofMinSize(1).ofMaxSize(4)
                .map(requests -> String.join("", requests));
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 10_000);
        Arbitrary<String> insert = Arbitraries.of("\r", "\n", "\r\n", " ", "\t", ";", "0", "x", "\u0000", ":",
                                                  "Transfer-Encoding: chunked\r\n", "Content-Length: 3\r\n",
                                                  "\r\n\r\n", "0\r\n\r\n", "GET /smuggled HTTP/1.1\r\n");
        return Combinators.combine(position, insert, Arbitraries.of(true, false)).as(Mutation::new);
    }

    private static String chunkedRequest(List<String> chunks) {
        StringBuilder request = new StringBuilder("POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (String chunk : chunks) {
            request.append(Integer.toHexString(chunk.length())).append(";e=1\r\n").append(chunk).append("\r\n");
        }
        return request.append("0\r\nT: 1\r\n\r\n").toString();
    }

    /** Inserts a fragment at a position, or replaces the byte there with it. */
    record Mutation(int position, String fragment, boolean replace) {
        String apply(String stream) {
            int at = position % (stream.length() + 1);
            int after = replace && at < stream.length() ? at + 1 : at;
            return stream.substring(0, at) + fragment + stream.substring(after);
        }
    }
}
