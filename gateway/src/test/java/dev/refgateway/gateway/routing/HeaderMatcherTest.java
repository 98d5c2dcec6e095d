package dev.refgateway.gateway.routing;

import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeaderMatcherTest {

    @Test
    void exactValueMatchesWithCaseInsensitiveNameAndCaseSensitiveValue() {
        HeaderMatcher v2 = HeaderMatcher.exact("x-api-version", "v2");

        assertThat(v2.matches(headers("X-Api-Version", "v2"))).isTrue();
        assertThat(v2.matches(headers("X-API-VERSION", "v2"))).isTrue();
        assertThat(v2.matches(headers("X-Api-Version", "V2"))).isFalse();
        assertThat(v2.matches(headers("X-Api-Version", "v2.1"))).isFalse();
        assertThat(v2.matches(WritableHeaders.create())).isFalse();
    }

    @Test
    void exactValueMatchesAnyOfARepeatedHeader() {
        WritableHeaders<?> headers = WritableHeaders.create();
        headers.add(HeaderNames.create("X-Tenant"), "blue", "green");

        assertThat(HeaderMatcher.exact("X-Tenant", "green").matches(headers)).isTrue();
        assertThat(HeaderMatcher.exact("X-Tenant", "red").matches(headers)).isFalse();
    }

    @Test
    void presentMatchesAnyValueEvenEmpty() {
        HeaderMatcher canary = HeaderMatcher.present("X-Canary");

        assertThat(canary.matches(headers("x-canary", ""))).isTrue();
        assertThat(canary.matches(headers("X-Canary", "1"))).isTrue();
        assertThat(canary.matches(headers("X-Other", "1"))).isFalse();
    }

    @Test
    void regexSearchesTheValueAndHonoursAnchors() {
        HeaderMatcher startsWithV2 = HeaderMatcher.regex("X-Api-Version", "^v2");
        HeaderMatcher containsBeta = HeaderMatcher.regex("X-Api-Version", "beta");

        assertThat(startsWithV2.matches(headers("X-Api-Version", "v2.3"))).isTrue();
        assertThat(startsWithV2.matches(headers("X-Api-Version", "xv2"))).isFalse();
        assertThat(containsBeta.matches(headers("X-Api-Version", "v3-beta-1"))).isTrue();
        assertThat(containsBeta.matches(WritableHeaders.create())).isFalse();
    }

    @Test
    void invalidNamesAndRegexesAreRejected() {
        assertThatThrownBy(() -> HeaderMatcher.present("X Canary"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"X Canary\" (expected: a header name: letters, digits and !#$%&'*+-.^_`|~)");
        assertThatThrownBy(() -> HeaderMatcher.regex("X-Version", "v[2"))
                .hasMessageStartingWith("\"v[2\" (expected: a Java regular expression; Unclosed character class");
    }

    private static WritableHeaders<?> headers(String name, String value) {
        WritableHeaders<?> headers = WritableHeaders.create();
        headers.add(HeaderNames.create(name), value);
        return headers;
    }
}
