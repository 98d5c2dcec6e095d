package dev.refgateway.gateway.relay.headers;

import dev.refgateway.gateway.testing.TestHeaders;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.WritableHeaders;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.refgateway.gateway.testing.TestHeaders.names;
import static org.assertj.core.api.Assertions.assertThat;

class HopByHopHeadersTest {

    @Test
    void copiesEndToEndRequestHeadersWithAllTheirValues() {
        Headers from = TestHeaders.of("Accept", "application/json",
                                      "Authorization", "Bearer abc",
                                      "X-Tenant", "a",
                                      "X-Tenant", "b",
                                      "Cookie", "s=1");
        WritableHeaders<?> to = WritableHeaders.create();

        HopByHopHeaders.copyRequestHeaders(from, to);

        assertThat(names(to)).containsExactly("accept", "authorization", "cookie", "x-tenant");
        assertThat(to.get(HeaderNames.create("X-Tenant")).allValues()).containsExactly("a", "b");
        assertThat(to.get(HeaderNames.AUTHORIZATION).get()).isEqualTo("Bearer abc");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding",
            "Upgrade", "Proxy-Authenticate", "Proxy-Authorization"})
    void neverCopiesAHopByHopHeaderInEitherDirection(String hopByHop) {
        Headers from = TestHeaders.of(hopByHop, "x", "X-End-To-End", "kept");
        WritableHeaders<?> request = WritableHeaders.create();
        WritableHeaders<?> response = WritableHeaders.create();

        HopByHopHeaders.copyRequestHeaders(from, request);
        HopByHopHeaders.copyResponseHeaders(from, response);

        assertThat(names(request)).containsExactly("x-end-to-end");
        assertThat(names(response)).containsExactly("x-end-to-end");
        assertThat(HopByHopHeaders.isHopByHop(HeaderNames.create(hopByHop))).isTrue();
    }

    @Test
    void requestDirectionDropsFramingHostAndExpect() {
        Headers from = TestHeaders.of("Host", "shop.example", "Content-Length", "5", "Expect", "100-continue",
                                      "Accept", "*/*");
        WritableHeaders<?> to = WritableHeaders.create();

        HopByHopHeaders.copyRequestHeaders(from, to);

        assertThat(names(to)).containsExactly("accept");
    }

    @Test
    void responseDirectionDropsFramingButKeepsEveryOtherHeader() {
        Headers from = TestHeaders.of("Content-Length", "5", "Content-Type", "text/plain",
                                      "Set-Cookie", "a=1", "Set-Cookie", "b=2", "ETag", "\"v1\"");
        WritableHeaders<?> to = WritableHeaders.create();

        HopByHopHeaders.copyResponseHeaders(from, to);

        assertThat(names(to)).containsExactly("content-type", "etag", "set-cookie");
        assertThat(to.get(HeaderNames.SET_COOKIE).allValues()).containsExactly("a=1", "b=2");
    }

    @Test
    void removesHeadersNamedInConnectionFromTheRequest() {
        Headers from = TestHeaders.of("Connection", "X-Session-Hint, close", "X-Session-Hint", "secret",
                                      "X-Other", "kept");
        WritableHeaders<?> to = WritableHeaders.create();

        HopByHopHeaders.copyRequestHeaders(from, to);

        assertThat(names(to)).containsExactly("x-other");
    }

    @Test
    void removesHeadersNamedInConnectionFromTheResponse() {
        Headers from = TestHeaders.of("Connection", "x-backend-debug", "X-Backend-Debug", "node-7",
                                      "Content-Type", "application/json");
        WritableHeaders<?> to = WritableHeaders.create();

        HopByHopHeaders.copyResponseHeaders(from, to);

        assertThat(names(to)).containsExactly("content-type");
    }

    @Test
    void matchesConnectionTokensCaseInsensitivelyAndToleratesWhitespaceAndEmptyElements() {
        Headers from = TestHeaders.of("Connection", " ,\t x-FOO ,  , Keep-Alive,",
                                      "x-foo", "1", "X-Bar", "2");
        WritableHeaders<?> to = WritableHeaders.create();

        HopByHopHeaders.copyRequestHeaders(from, to);

        assertThat(names(to)).containsExactly("x-bar");
    }

    @Test
    void honoursEveryConnectionHeader() {
        Headers from = TestHeaders.of("Connection", "x-a",
                                      "Connection", "close, X-B",
                                      "X-A", "1", "X-B", "2", "X-C", "3");
        WritableHeaders<?> to = WritableHeaders.create();

        HopByHopHeaders.copyRequestHeaders(from, to);

        assertThat(names(to)).containsExactly("x-c");
    }

    @Test
    void removesOnlyExactNamesNotPrefixesOrExtensions() {
        Headers from = TestHeaders.of("Connection", "x-foo, x-bar-baz",
                                      "X-Foo-Bar", "1", "X-Fo", "2", "X-Bar", "3", "X-Foo", "4");
        WritableHeaders<?> to = WritableHeaders.create();

        HopByHopHeaders.copyRequestHeaders(from, to);

        assertThat(names(to)).containsExactly("x-bar", "x-fo", "x-foo-bar");
    }

    @Test
    void connectionCloseAloneRemovesNothingElse() {
        Headers from = TestHeaders.of("Connection", "close", "Accept", "*/*", "X-Close", "1");
        WritableHeaders<?> to = WritableHeaders.create();

        HopByHopHeaders.copyRequestHeaders(from, to);

        assertThat(names(to)).containsExactly("accept", "x-close");
    }

    @Test
    void replacesAHeaderAlreadyPresentInTheTarget() {
        Headers from = TestHeaders.of("Accept", "application/json");
        WritableHeaders<?> to = WritableHeaders.create();
        to.set(HeaderValues.create(HeaderNames.ACCEPT, "*/*"));

        HopByHopHeaders.copyRequestHeaders(from, to);

        assertThat(to.get(HeaderNames.ACCEPT).allValues()).containsExactly("application/json");
    }

    @Test
    void leavesTheSourceHeadersUntouched() {
        WritableHeaders<?> from = TestHeaders.of("Connection", "x-a", "X-A", "1", "X-Multi", "a", "X-Multi", "b");
        WritableHeaders<?> to = WritableHeaders.create();

        HopByHopHeaders.copyRequestHeaders(from, to);
        to.add(HeaderValues.create(HeaderNames.create("X-Multi"), "c"));

        assertThat(names(from)).containsExactly("connection", "x-a", "x-multi");
        assertThat(from.get(HeaderNames.create("X-Multi")).allValues()).containsExactly("a", "b");
    }

    @Test
    void headerNamesNotInTheFixedListAreNotHopByHop() {
        assertThat(HopByHopHeaders.isHopByHop(HeaderNames.CONTENT_LENGTH)).isFalse();
        assertThat(HopByHopHeaders.isHopByHop(HeaderNames.HOST)).isFalse();
        assertThat(HopByHopHeaders.isHopByHop(HeaderNames.create("X-Connection"))).isFalse();
    }
}
