package dev.refgateway.gateway.edge;

import dev.refgateway.gateway.problem.GatewayProblem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RequestFramerTest {

    private static final String POST_CHUNKED = "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final String NEXT = "GET /next HTTP/1.1\r\nHost: a\r\n\r\n";

    @ParameterizedTest(name = "in pieces of {0}")
    @ValueSource(ints = {1, 2, 3, 7, 1000})
    void wellFormedRequestsPassAsTheyCameOneRequestAtATime(int pieceSize) {
        String first = "GET /users/1?x=1 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n";
        String second = "POST /users HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello";

        FramerRun run = FramerRun.of(first + second + NEXT, pieceSize);

        assertThat(run.requests()).containsExactly(first, second, NEXT);
        assertThat(run.refusal()).isNull();
    }

    @Test
    void emptyLinesBeforeARequestLineAreSkipped() {
        FramerRun run = FramerRun.of("\r\n\r\n" + NEXT);

        assertThat(run.requests()).containsExactly(NEXT);
    }

    @ParameterizedTest(name = "in pieces of {0}")
    @ValueSource(ints = {1, 4, 1000})
    void chunkExtensionsAndTrailersAreCheckedAndDropped(int pieceSize) {
        String body = "3;ext=1\r\nabc\r\n2 ; name=\"quoted \\\" value\" ;flag\r\nde\r\n0;last\r\nX-Checksum: 1\r\n\r\n";

        FramerRun run = FramerRun.of(POST_CHUNKED + body + NEXT, pieceSize);

        assertThat(run.requests()).hasSize(2);
        assertThat(run.requests().get(0)).startsWith(POST_CHUNKED).endsWith("0\r\n\r\n")
                .doesNotContain("ext", "name", "last", "X-Checksum");
        assertThat(dechunk(run.requests().get(0).substring(POST_CHUNKED.length()))).isEqualTo("abcde");
        assertThat(run.requests().get(1)).isEqualTo(NEXT);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "0x5\\r\\nhello\\r\\n0\\r\\n\\r\\n          | not a hexadecimal number",
            "-5\\r\\nhello\\r\\n0\\r\\n\\r\\n           | not a hexadecimal number",
            "' 5\\r\\nhello\\r\\n0\\r\\n\\r\\n'         | not a hexadecimal number",
            "fffffffffffffffff\\r\\nx\\r\\n0\\r\\n\\r\\n | too large",
            "10000000000000000\\r\\nx\\r\\n0\\r\\n\\r\\n | too large",
            "3\\r\\nabcd\\r\\n0\\r\\n\\r\\n             | longer than its declared size",
            "3\\nabc\\r\\n0\\r\\n\\r\\n                 | bare LF",
            "3\\r\\nabc\\n0\\r\\n\\r\\n                 | followed by a bare LF",
            "3\\rx\\r\\nabc\\r\\n0\\r\\n\\r\\n           | bare CR",
            "3;\\r\\nabc\\r\\n0\\r\\n\\r\\n             | no name",
            "3;a=\\\"x\\r\\nabc\\r\\n0\\r\\n\\r\\n        | unterminated",
            "3 x\\r\\nabc\\r\\n0\\r\\n\\r\\n            | not a chunk extension",
            "0\\r\\nbad trailer\\r\\n\\r\\n           | no colon",
            "0\\r\\n\\r\\n                            | "})
    void malformedChunkedFramingIsRefusedAndNothingAfterItIsReadAsARequest(String body, String reason) {
        String decoded = body.replace("\\r", "\r").replace("\\n", "\n").replace("\\\"", "\"");

        FramerRun run = FramerRun.of(POST_CHUNKED + decoded + NEXT);

        if (reason == null) {
            assertThat(run.requests()).hasSize(2);   // the control: a valid empty body, then the next request
            return;
        }
        assertThat(run.refusal()).isNotNull();
        assertThat(run.refusal().problem()).isEqualTo(GatewayProblem.BAD_FRAMING);
        assertThat(run.refusal().detail()).contains(reason);
        assertThat(run.refusedInHead()).isFalse();
        assertThat(run.requests()).isEmpty();
        assertThat(run.unfinished()).startsWith(POST_CHUNKED).doesNotContain("/next");
    }

    @Test
    void anOversizedChunkExtensionIsRefused() {
        String body = "3;x=" + "a".repeat(5000) + "\r\nabc\r\n0\r\n\r\n";

        FramerRun run = FramerRun.of(POST_CHUNKED + body);

        assertThat(run.refusal().detail()).contains("longer than 4096 bytes");
    }

    @Test
    void aBigChunkIsHandedOnInPiecesHelidonCanRead() {
        String data = "x".repeat(70_000);
        String body = Integer.toHexString(data.length()) + "\r\n" + data + "\r\n0\r\n\r\n";

        FramerRun run = FramerRun.of(POST_CHUNKED + body, 8192);

        assertThat(dechunk(run.requests().getFirst().substring(POST_CHUNKED.length()))).isEqualTo(data);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "CL.TE          | Content-Length: 6\\r\\nTransfer-Encoding: chunked                | bad-framing",
            "TE.CL          | Transfer-Encoding: chunked\\r\\nContent-Length: 6                | bad-framing",
            "TE space colon | Transfer-Encoding : chunked                                  | malformed-request",
            "TE xchunked    | Transfer-Encoding: xchunked                                  | bad-framing",
            "TE chunked, x  | Transfer-Encoding: chunked\\r\\nTransfer-Encoding: x           | bad-framing",
            "TE obs-fold    | X-Pad: 1\\r\\n Transfer-Encoding: chunked                    | malformed-request",
            "TE identity    | Transfer-Encoding: identity                                  | bad-framing",
            "TE gzip,chunked | Transfer-Encoding: gzip, chunked                            | unsupported-transfer-coding",
            "CL twice       | Content-Length: 6\\r\\nContent-Length: 6                       | bad-framing",
            "CL list        | Content-Length: 6, 6                                         | bad-framing",
            "CL plus        | Content-Length: +6                                           | bad-framing",
            "CL hex         | Content-Length: 0x6                                          | bad-framing",
            "TE vertical tab | Transfer-Encoding:\\u000bchunked                             | malformed-request",
            "bare LF head   | X-A: 1\\nTransfer-Encoding: chunked                            | malformed-request",
            "NUL in value   | X-A: a\\u0000b                                                | malformed-request"})
    void smugglingAttemptsAreRefusedInTheHeadBeforeAnythingReachesHelidon(String name, String headers, String type) {
        String decoded = headers.replace("\\r", "\r").replace("\\n", "\n").replace("\\u000b", "\u000b")
                .replace("\\u0000", "\u0000");
        String attack = "POST /x HTTP/1.1\r\nHost: a\r\n" + decoded + "\r\n\r\n0\r\n\r\n" + NEXT;

        FramerRun run = FramerRun.of(attack);

        assertThat(run.requests()).isEmpty();
        assertThat(run.unfinished()).isEmpty();
        assertThat(run.refusedInHead()).isTrue();
        assertThat(run.refusal().problem().type()).endsWith("/" + type);
    }

    @Test
    void http10IsReadAsHttp11WithAHostAndClosedAfterItsAnswer() {
        FramerRun run = FramerRun.of("GET /users HTTP/1.0\r\nAccept: */*\r\n\r\n" + NEXT);

        assertThat(run.requests()).containsExactly(
                "GET /users HTTP/1.1\r\nAccept: */*\r\nHost: 10.0.0.1:8080\r\nConnection: close\r\n\r\n");
        assertThat(run.closedAfterLastRequest()).isTrue();
    }

    @Test
    void http10WithKeepAliveStaysOpen() {
        String request = "GET /users HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n";

        FramerRun run = FramerRun.of(request + NEXT);

        assertThat(run.requests()).containsExactly(
                "GET /users HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n\r\n", NEXT);
    }

    @Test
    void http10LosesItsExpectSoThatNo100ContinueIsEverWrittenToIt() {
        FramerRun run = FramerRun.of("POST /u HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi");

        assertThat(run.requests()).containsExactly(
                "POST /u HTTP/1.1\r\nContent-Length: 2\r\nHost: 10.0.0.1:8080\r\nConnection: close\r\n\r\nhi");
    }

    @Test
    void limitsAreExactAndAgreeWithHelidonsOwn() {
        String line = "GET /" + "a".repeat(200 - 15) + " HTTP/1.1";   // 199 bytes: shorter than the 200 limit
        String fields = "Host: a\r\nX-Pad: " + "b".repeat(400 - 9 - 9) + "\r\n";     // exactly 400 bytes of fields

        assertThat(line).hasSize(199);
        assertThat(fields).hasSize(400);
        assertThat(FramerRun.of(line + "\r\n" + fields + "\r\n").requests()).hasSize(1);
        assertThat(FramerRun.of("GET /" + "a".repeat(200 - 14) + " HTTP/1.1\r\nHost: a\r\n\r\n").refusal().problem())
                .isEqualTo(GatewayProblem.URI_TOO_LONG);
        assertThat(FramerRun.of(line + "\r\n" + fields.replace("X-Pad: ", "X-Pad: b") + "\r\n").refusal().problem())
                .isEqualTo(GatewayProblem.HEADERS_TOO_LARGE);
    }

    @Test
    void http10WithTransferEncodingIsRefused() {
        FramerRun run = FramerRun.of("POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");

        assertThat(run.requests()).isEmpty();
        assertThat(run.refusal().detail()).contains("HTTP/1.0 request with Transfer-Encoding");
    }

    @Test
    void aRequestThatAsksToCloseIsTheConnectionsLast() {
        String request = "GET /a HTTP/1.1\r\nHost: a\r\nConnection: Keep-Alive, close\r\n\r\n";

        FramerRun run = FramerRun.of(request + NEXT);

        assertThat(run.requests()).containsExactly(request);
        assertThat(run.closedAfterLastRequest()).isTrue();
    }

    @Test
    void anAbsoluteTargetBecomesAPathAndItsAuthorityReplacesTheHost() {
        FramerRun run = FramerRun.of("GET http://api.example.com/users/1 HTTP/1.1\r\nHost: other\r\nX-A: 1\r\n\r\n");

        assertThat(run.requests()).containsExactly("GET /users/1 HTTP/1.1\r\nX-A: 1\r\nHost: api.example.com\r\n\r\n");
    }

    @Test
    void theCanonicalPathIsWhatTheRequestLineCarriesOn() {
        FramerRun run = FramerRun.of("GET /users/x/%2e%2e/%2E%2E/admin?a=%2e HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(run.requests()).containsExactly("GET /admin?a=%2e HTTP/1.1\r\nHost: a\r\n\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "GET /a%00 HTTP/1.1           | invalid-request-target | escaped control character",
            "GET /a/..;/b HTTP/1.1        | invalid-request-target | dot segment with parameters",
            "GET /a#b HTTP/1.1            | invalid-request-target | fragment",
            "GET /a HTTP/2.0              | http-version-not-supported | HTTP/2.0",
            "GET /a HTTP/1.1 x            | malformed-request      | one space",
            "GET  /a HTTP/1.1             | malformed-request      | one space",
            "GET /a http/1.1              | malformed-request      | valid HTTP version",
            "G(T /a HTTP/1.1              | malformed-request      | not a token",
            "GET /a HTTP/1.10             | malformed-request      | valid HTTP version"})
    void aRequestLineThatBreaksTheRulesIsRefusedWithItsReason(String line, String type, String reason) {
        FramerRun run = FramerRun.of(line + "\r\nHost: a\r\n\r\n");

        assertThat(run.requests()).isEmpty();
        assertThat(run.refusal().problem().type()).endsWith("/" + type);
        assertThat(run.refusal().detail()).contains(reason);
    }

    @Test
    void aHigherMinorVersionIsServedAsHttp11() {
        FramerRun run = FramerRun.of("GET /a HTTP/1.2\r\nHost: a\r\n\r\n");

        assertThat(run.requests()).containsExactly("GET /a HTTP/1.1\r\nHost: a\r\n\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no Host      | GET /a HTTP/1.1\\r\\n\\r\\n                       | without a Host header",
            "two Hosts    | GET /a HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n | more than one Host",
            "space name   | GET /a HTTP/1.1\\r\\nHost: a\\r\\nX A: 1\\r\\n\\r\\n  | not allowed in a token",
            "no colon     | GET /a HTTP/1.1\\r\\nHost: a\\r\\nX-A\\r\\n\\r\\n     | no colon",
            "bare CR      | GET /a HTTP/1.1\\r\\nHost: a\\rX: 1\\r\\n\\r\\n       | bare CR"})
    void aHeadThatBreaksTheRulesIsRefusedWithItsReason(String name, String head, String reason) {
        FramerRun run = FramerRun.of(head.replace("\\r", "\r").replace("\\n", "\n"));

        assertThat(run.requests()).isEmpty();
        assertThat(run.refusal().problem()).isEqualTo(GatewayProblem.MALFORMED_REQUEST);
        assertThat(run.refusal().detail()).contains(reason);
    }

    @ParameterizedTest(name = "in pieces of {0}")
    @ValueSource(ints = {1, 50, 1000})
    void aRequestLinePastTheLimitIs414AndAHeaderSectionPastItIs431(int pieceSize) {
        FramerRun longLine = FramerRun.of("GET /" + "a".repeat(300) + " HTTP/1.1\r\nHost: a\r\n\r\n", pieceSize);
        FramerRun bigHead = FramerRun.of("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(400) + "\r\n\r\n",
                                         pieceSize);
        FramerRun bigButFits = FramerRun.of("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(370) + "\r\n\r\n",
                                            pieceSize);

        assertThat(longLine.refusal().problem()).isEqualTo(GatewayProblem.URI_TOO_LONG);
        assertThat(bigHead.refusal().problem()).isEqualTo(GatewayProblem.HEADERS_TOO_LARGE);
        assertThat(bigButFits.requests()).hasSize(1);
    }

    @Test
    void aConnectionThatEndsBetweenRequestsEndsQuietly() {
        FramerRun run = FramerRun.of(NEXT + "GET /half");

        assertThat(run.requests()).containsExactly(NEXT);
        assertThat(run.refusal()).isNull();
    }

    /** The data of a chunked body. */
    static String dechunk(String body) {
        StringBuilder data = new StringBuilder();
        int pos = 0;
        while (true) {
            int lineEnd = body.indexOf("\r\n", pos);
            int size = Integer.parseInt(body.substring(pos, lineEnd), 16);
            if (size == 0) {
                return data.toString();
            }
            data.append(body, lineEnd + 2, lineEnd + 2 + size);
            pos = lineEnd + 2 + size + 2;
        }
    }
}
