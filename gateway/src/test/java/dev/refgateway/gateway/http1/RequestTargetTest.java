package dev.refgateway.gateway.http1;

import java.nio.charset.StandardCharsets;


import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestTargetTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/", "/users", "/users/1", "/users/", "/users/1?x=%2e%2e&y=..", "/a/b.c/d..e/~x",
                            "/api/v1/items:search", "/a@b/$!'()*+,=", "/?q", "/users?x=1#"})
    void aTargetThatIsCanonicalAlreadyIsForwardedAsItCame(String target) {
        if (target.endsWith("#")) {
            // a fragment is never canonical: the fast path must not pass it either
            assertThatThrownBy(() -> check(target)).isInstanceOf(MalformedMessage.class);
            return;
        }
        assertThat(check(target)).isSameAs(RequestTarget.UNCHANGED);
        assertThat(RequestTarget.canonical(target).target()).isEqualTo(target);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/users/%7Ealice          | /users/~alice",
            "/users/x/%2e%2e/%2E%2E/admin | /admin",
            "/users/./1               | /users/1",
            "/users/1/.               | /users/1/",
            "/users/1/..              | /users/",
            "/a//b///c                | /a/b/c",
            "//users                  | /users",
            "/a/b/../../c             | /c",
            "/secure%2fusers/x        | /secure%2Fusers/x",
            "/caf%c3%a9               | /caf%C3%A9",
            "/%41%5a%30%2D%5f         | /AZ0-_",
            "/users/%2e               | /users/",
            "/a/.%2e/b?x=%2e%2e       | /b?x=%2e%2e",
            "/a/%2e./b                | /b",
            "/.                       | /",
            "/a.%2Fb..                | /a.%2Fb.."})
    void aTargetIsBroughtIntoItsOneCanonicalForm(String target, String canonical) {
        RequestTarget result = check(target);

        assertThat(result.target()).isEqualTo(canonical);
        assertThat(result.authority()).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1} for {2}")
    @CsvSource(delimiter = '|', value = {
            "http://example.com/users/1?x=1 | /users/1?x=1 | example.com",
            "HTTP://Example.com:8080        | /            | Example.com:8080",
            "https://example.com?q=1        | /?q=1        | example.com",
            "http://[::1]:8080/a/%2e%2e/b   | /b           | [::1]:8080"})
    void anAbsoluteTargetBecomesAPathAndItsAuthorityTheHost(String target, String path, String authority) {
        RequestTarget result = check(target);

        assertThat(result.target()).isEqualTo(path);
        assertThat(result.authority()).isEqualTo(authority);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "/users/..;x/admin  | a dot segment with parameters (..;)",
            "/users/.;x         | a dot segment with parameters (..;)",
            "/users;jsessionid=1 | a semicolon",
            "/a%00b             | an escaped control character (%00)",
            "/a%0Ab             | an escaped control character (%0A)",
            "/a%7fb             | an escaped control character (%7F)",
            "/a%5cb             | an escaped backslash (%5C)",
            "/a\\b              | a backslash",
            "/a%2               | does not start a valid escape",
            "/a%zzb             | does not start a valid escape",
            "/a<b               | a character that a URI path may not contain",
            "/a\"b              | a character that a URI path may not contain",
            "/..                | climbs above the root",
            "/a/../../etc       | climbs above the root",
            "/a/%2e%2e/%2e%2e   | climbs above the root",
            "/a#top             | a fragment",
            "/a?b#c             | a fragment",
            "*                  | neither a path",
            "example.com:443    | neither a path",
            "users/1            | neither a path",
            "ftp://example.com/ | neither a path",
            "http:///users      | has no host",
            "http://u:p@host/   | user information",
            "/files/a%2F..%2Fb  | a dot segment next to an encoded slash",
            "/files/%2E%2E%2fb  | a dot segment next to an encoded slash",
            "/a?x=\u0001y      | a space, a control or a non-ASCII character",
            "/..%2Fadmin        | a dot segment next to an encoded slash",
            "http://ho%73t/     | a host that is not a name or address"})
    void aTargetThatCouldBeReadTwoWaysIsRefusedWithItsReason(String target, String reason) {
        assertThatThrownBy(() -> check(target))
                .isInstanceOf(MalformedMessage.class)
                .hasMessageContaining(reason);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/a b", "/a\u0001b", "/caf\u00e9"})
    void spacesControlsAndNonAsciiAreRefused(String target) {
        assertThatThrownBy(() -> RequestTarget.canonical(target))
                .isInstanceOf(MalformedMessage.class)
                .hasMessageContaining("a space, a control or a non-ASCII character");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/a%2Fb, true", "/a/b, false", "/a%2fb, true"})
    void anEncodedSlashIsVisibleInTheCanonicalPath(String target, boolean hasEncodedSlash) {
        String path = RequestTarget.canonical(target).target();

        assertThat(RequestTarget.hasEncodedSlash(path)).isEqualTo(hasEncodedSlash);
    }

    private static RequestTarget check(String target) {
        byte[] line = ("GET " + target + " HTTP/1.1").getBytes(StandardCharsets.ISO_8859_1);
        return RequestTarget.check(line, 4, 4 + target.length());
    }
}
