package dev.refgateway.gateway.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostMatcherTest {

    @Test
    void exactHostIgnoresCaseAndPort() {
        HostMatcher api = HostMatcher.parse("api.example.com");

        assertThat(api.isWildcard()).isFalse();
        assertThat(api.matches("api.example.com")).isTrue();
        assertThat(api.matches("API.Example.COM")).isTrue();
        assertThat(api.matches("api.example.com:8443")).isTrue();
        assertThat(api.matches("api.example.com.")).as("fully qualified").isTrue();
        assertThat(api.matches("example.com")).isFalse();
        assertThat(api.matches("xapi.example.com")).isFalse();
        assertThat(api.matches("api.example.com.evil.net")).isFalse();
        assertThat(api.matches(null)).isFalse();
        assertThat(api.matches("")).isFalse();
    }

    @Test
    void wildcardMatchesAnySubdomainButNotTheDomainItself() {
        HostMatcher any = HostMatcher.parse("*.Example.com");

        assertThat(any.isWildcard()).isTrue();
        assertThat(any.pattern()).isEqualTo("*.example.com");
        assertThat(any.matches("a.example.com")).isTrue();
        assertThat(any.matches("a.b.example.com:443")).isTrue();
        assertThat(any.matches("SHOP.EXAMPLE.COM")).isTrue();
        assertThat(any.matches("example.com")).isFalse();
        assertThat(any.matches(".example.com")).isFalse();
        assertThat(any.matches("badexample.com")).isFalse();
        assertThat(any.matches("a.example.com.evil.net")).isFalse();
    }

    @Test
    void ipv6LiteralMatchesWithAndWithoutPort() {
        HostMatcher loopback = HostMatcher.parse("[::1]");

        assertThat(loopback.matches("[::1]")).isTrue();
        assertThat(loopback.matches("[::1]:8080")).isTrue();
        assertThat(loopback.matches("[::2]:8080")).isFalse();
    }

    @Test
    void malformedHostPatternsAreRejected() {
        String expected = " (expected: a host name without port, optionally starting with '*.')";
        assertThatThrownBy(() -> HostMatcher.parse("api.example.com:8080"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"api.example.com:8080\"" + expected);
        assertThatThrownBy(() -> HostMatcher.parse("*example.com")).hasMessage("\"*example.com\"" + expected);
        assertThatThrownBy(() -> HostMatcher.parse("a.*.com")).hasMessage("\"a.*.com\"" + expected);
        assertThatThrownBy(() -> HostMatcher.parse("a..com")).hasMessage("\"a..com\"" + expected);
        assertThatThrownBy(() -> HostMatcher.parse("")).hasMessage("\"\"" + expected);
        assertThatThrownBy(() -> HostMatcher.parse("[::1"))
                .hasMessage("\"[::1\" (expected: an IPv6 literal such as [::1])");
    }
}
