package dev.refgateway.gateway.relay.headers;

import java.util.HashSet;
import java.util.Set;

import dev.refgateway.gateway.testing.TestHeaders;

import io.helidon.http.Headers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdsTest {

    private static final String VALID_TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @ParameterizedTest
    @ValueSource(strings = {"abc-123", "f81d4fae-7dec-11d0-a765-00a0c91e6bf6", "x", "!#$%&'*+-.^_`|~:;/=?@[]{}"})
    void keepsASaneIncomingRequestId(String id) {
        Headers incoming = TestHeaders.of("X-Request-Id", id);

        assertThat(RequestIds.ensure(incoming)).isEqualTo(id);
    }

    @Test
    void findsTheRequestIdWhateverTheCaseOfItsName() {
        assertThat(RequestIds.ensure(TestHeaders.of("x-request-id", "abc"))).isEqualTo("abc");
        assertThat(RequestIds.ensure(TestHeaders.of("X-REQUEST-ID", "abc"))).isEqualTo("abc");
    }

    @Test
    void keepsAnIdOfExactlyTheMaximumLength() {
        String longest = "a".repeat(RequestIds.MAX_LENGTH);

        assertThat(RequestIds.ensure(TestHeaders.of("X-Request-Id", longest))).isEqualTo(longest);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "a,b", "tab\there", "caf\u00e9", "new\nline", "nul\u0000",
            "del\u007f"})
    void replacesAnIncomingIdThatIsNotSane(String id) {
        String ensured = RequestIds.ensure(TestHeaders.of("X-Request-Id", id));

        assertThat(ensured).isNotEqualTo(id).matches("[0-9a-f]{32}");
    }

    @Test
    void replacesAnIdThatIsTooLong() {
        String tooLong = "a".repeat(RequestIds.MAX_LENGTH + 1);

        assertThat(RequestIds.ensure(TestHeaders.of("X-Request-Id", tooLong))).matches("[0-9a-f]{32}");
    }

    @Test
    void replacesTwoRequestIdHeaders() {
        Headers incoming = TestHeaders.of("X-Request-Id", "abc", "X-Request-Id", "def");

        assertThat(RequestIds.ensure(incoming)).matches("[0-9a-f]{32}");
    }

    @Test
    void generatesAnIdWhenThereIsNone() {
        assertThat(RequestIds.ensure(TestHeaders.of())).matches("[0-9a-f]{32}");
    }

    @Test
    void generatedIdsAreThirtyTwoHexCharactersAndDoNotRepeat() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(RequestIds.newId());
        }

        assertThat(ids).hasSize(100_000).allMatch(id -> id.matches("[0-9a-f]{32}"));
        assertThat(ids).allMatch(RequestIds::isSane);
    }

    @Test
    void acceptsTheW3cExampleTraceparent() {
        assertThat(RequestIds.isValidTraceparent(VALID_TRACEPARENT)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
            "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
            "0-04bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",
            " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            ""})
    void refusesAnInvalidTraceparent(String value) {
        assertThat(RequestIds.isValidTraceparent(value)).isFalse();
    }

    @Test
    void refusesNullAsTraceparent() {
        assertThat(RequestIds.isValidTraceparent(null)).isFalse();
    }

    @Test
    void acceptsAFutureVersionWithMoreFieldsAfterADash() {
        assertThat(RequestIds.isValidTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .isTrue();
        assertThat(RequestIds.isValidTraceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what"))
                .isTrue();
    }

    @Test
    void traceparentOfHeadersIsTheSingleValidValueOrNull() {
        assertThat(RequestIds.traceparent(TestHeaders.of("traceparent", VALID_TRACEPARENT)))
                .isEqualTo(VALID_TRACEPARENT);
        assertThat(RequestIds.traceparent(TestHeaders.of("Traceparent", "garbage"))).isNull();
        assertThat(RequestIds.traceparent(TestHeaders.of("traceparent", VALID_TRACEPARENT,
                                                         "traceparent", VALID_TRACEPARENT))).isNull();
        assertThat(RequestIds.traceparent(TestHeaders.of())).isNull();
    }
}
