package dev.refgateway.gateway.edge;

import java.util.stream.Stream;

import dev.refgateway.gateway.edge.RequestFraming.Kind;
import dev.refgateway.gateway.edge.RequestFraming.Result;
import dev.refgateway.gateway.testing.TestHeaders;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class RequestFramingTest {

    @Test
    void requestWithoutFramingHeadersHasNoBody() {
        Result result = RequestFraming.check(TestHeaders.of("Accept", "*/*"));

        assertThat(result).isEqualTo(new Result(Kind.NO_BODY, -1, ""));
        assertThat(result.valid()).isTrue();
    }

    static Stream<Arguments> validLengths() {
        return Stream.of(arguments("0", 0L),
                         arguments("5", 5L),
                         arguments("007", 7L),
                         arguments(" 42\t", 42L),
                         arguments("9223372036854775807", Long.MAX_VALUE));
    }

    @ParameterizedTest(name = "Content-Length: \"{0}\"")
    @MethodSource("validLengths")
    void acceptsOneDecimalContentLength(String value, long expected) {
        Result result = RequestFraming.check(TestHeaders.of("Content-Length", value));

        assertThat(result).isEqualTo(new Result(Kind.CONTENT_LENGTH, expected, ""));
        assertThat(result.valid()).isTrue();
        assertThat(result.chunked()).isFalse();
    }

    @ParameterizedTest(name = "Transfer-Encoding: \"{0}\"")
    @ValueSource(strings = {"chunked", "Chunked", " CHUNKED\t"})
    void acceptsChunkedAloneInAnyCase(String value) {
        Result result = RequestFraming.check(TestHeaders.of("Transfer-Encoding", value));

        assertThat(result).isSameAs(RequestFraming.CHUNKED);
        assertThat(result.valid()).isTrue();
        assertThat(result.chunked()).isTrue();
        assertThat(result.contentLength()).isEqualTo(-1);
    }

    @Test
    void rejectsContentLengthTogetherWithTransferEncodingAsAmbiguous() {
        Result result = RequestFraming.check(TestHeaders.of("Content-Length", "5", "Transfer-Encoding", "chunked"));

        assertThat(result).isEqualTo(new Result(Kind.AMBIGUOUS, -1,
                                                "both Content-Length and Transfer-Encoding are present"));
        assertThat(result.valid()).isFalse();
    }

    @Test
    void rejectsTransferEncodingBeforeContentLengthAsAmbiguousToo() {
        Result result = RequestFraming.check(TestHeaders.of("Transfer-Encoding", "chunked", "Content-Length", "0"));

        assertThat(result.kind()).isEqualTo(Kind.AMBIGUOUS);
    }

    static Stream<Arguments> duplicateLengths() {
        return Stream.of(arguments("two equal headers", new String[] {"Content-Length", "5", "Content-Length", "5"}),
                         arguments("two different headers",
                                   new String[] {"Content-Length", "5", "Content-Length", "6"}),
                         arguments("equal comma list", new String[] {"Content-Length", "5, 5"}),
                         arguments("different comma list", new String[] {"Content-Length", "5,6"}),
                         arguments("trailing comma", new String[] {"Content-Length", "5,"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("duplicateLengths")
    void rejectsMoreThanOneContentLengthEvenWhenEqual(String description, String[] headers) {
        Result result = RequestFraming.check(TestHeaders.of(headers));

        assertThat(result).isEqualTo(new Result(Kind.AMBIGUOUS, -1, "more than one Content-Length value"));
    }

    @ParameterizedTest(name = "Content-Length: \"{0}\"")
    @ValueSource(strings = {"+5", "-1", "-0", "abc", "", "  ", "5 5", "0x10", "1e3", "5.0", "\uFF15", "\u0665"})
    void rejectsContentLengthThatIsNotANonNegativeDecimalInteger(String value) {
        Result result = RequestFraming.check(TestHeaders.of("Content-Length", value));

        assertThat(result).isEqualTo(new Result(Kind.INVALID, -1,
                                                "Content-Length is not a non-negative decimal integer"));
    }

    @ParameterizedTest(name = "Content-Length: {0}")
    @ValueSource(strings = {"99999999999999999999", "9223372036854775808"})
    void rejectsContentLengthThatOverflowsALong(String value) {
        Result result = RequestFraming.check(TestHeaders.of("Content-Length", value));

        assertThat(result).isEqualTo(new Result(Kind.INVALID, -1, "Content-Length is too large"));
    }

    @Test
    void rejectsChunkedFollowedByAnotherCodingBecauseTheLengthIsUnknowable() {
        Result result = RequestFraming.check(TestHeaders.of("Transfer-Encoding", "chunked, gzip"));

        assertThat(result).isEqualTo(new Result(Kind.INVALID, -1, "the final Transfer-Encoding is not chunked"));
    }

    @Test
    void rejectsAnotherCodingBeforeChunkedAsUnsupported() {
        Result result = RequestFraming.check(TestHeaders.of("Transfer-Encoding", "gzip, chunked"));

        assertThat(result).isEqualTo(new Result(Kind.UNSUPPORTED_TRANSFER_CODING, -1,
                                                "Transfer-Encoding other than chunked is not supported"));
        assertThat(result.valid()).isFalse();
    }

    @Test
    void readsCodingsAcrossSeveralTransferEncodingHeadersInOrder() {
        Result gzipThenChunked = RequestFraming.check(TestHeaders.of("Transfer-Encoding", "gzip",
                                                                     "Transfer-Encoding", "chunked"));
        Result chunkedThenGzip = RequestFraming.check(TestHeaders.of("Transfer-Encoding", "chunked",
                                                                     "Transfer-Encoding", "gzip"));

        assertThat(gzipThenChunked.kind()).isEqualTo(Kind.UNSUPPORTED_TRANSFER_CODING);
        assertThat(chunkedThenGzip.kind()).isEqualTo(Kind.INVALID);
    }

    static Stream<Arguments> invalidCodings() {
        return Stream.of(arguments("gzip", "the final Transfer-Encoding is not chunked"),
                         arguments("identity", "the final Transfer-Encoding is not chunked"),
                         arguments("chunked;ext=1", "the final Transfer-Encoding is not chunked"),
                         arguments("xchunked", "the final Transfer-Encoding is not chunked"),
                         arguments("chunked, chunked", "chunked Transfer-Encoding is applied more than once"),
                         arguments("", "Transfer-Encoding is empty"),
                         arguments(" , ,", "Transfer-Encoding is empty"));
    }

    @ParameterizedTest(name = "Transfer-Encoding: \"{0}\"")
    @MethodSource("invalidCodings")
    void rejectsTransferEncodingThatDoesNotEndInOneChunked(String value, String reason) {
        Result result = RequestFraming.check(TestHeaders.of("Transfer-Encoding", value));

        assertThat(result).isEqualTo(new Result(Kind.INVALID, -1, reason));
    }

    @Test
    void reasonNeverEchoesWhatTheClientSent() {
        Result result = RequestFraming.check(TestHeaders.of("Content-Length", "<script>alert(1)</script>"));

        assertThat(result.reason()).doesNotContain("<script>").isNotEmpty();
    }
}
