package dev.refgateway.gateway.relay.headers;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TrustedProxiesTest {

    @Test
    void noneTrustsNobody() {
        TrustedProxies none = TrustedProxies.none();

        assertThat(none.isTrusted("127.0.0.1")).isFalse();
        assertThat(none.isTrusted("::1")).isFalse();
        assertThat(none.isEmpty()).isTrue();
        assertThat(TrustedProxies.create(List.of())).isSameAs(none);
    }

    @Test
    void ipv4CidrTrustsExactlyItsBlock() {
        TrustedProxies trusted = TrustedProxies.create(List.of("10.0.0.0/8", "192.168.1.0/31"));

        assertThat(trusted.isTrusted("10.0.0.0")).isTrue();
        assertThat(trusted.isTrusted("10.255.255.255")).isTrue();
        assertThat(trusted.isTrusted("11.0.0.0")).isFalse();
        assertThat(trusted.isTrusted("9.255.255.255")).isFalse();
        assertThat(trusted.isTrusted("192.168.1.1")).isTrue();
        assertThat(trusted.isTrusted("192.168.1.2")).isFalse();
    }

    @Test
    void addressWithoutPrefixIsASingleHost() {
        TrustedProxies trusted = TrustedProxies.create(List.of("203.0.113.7", "2001:db8::7"));

        assertThat(trusted.isTrusted("203.0.113.7")).isTrue();
        assertThat(trusted.isTrusted("203.0.113.8")).isFalse();
        assertThat(trusted.isTrusted("2001:db8::7")).isTrue();
        assertThat(trusted.isTrusted("2001:db8::8")).isFalse();
    }

    @Test
    void hostBitsBelowThePrefixAreIgnored() {
        TrustedProxies trusted = TrustedProxies.create(List.of("10.1.2.3/8"));

        assertThat(trusted.isTrusted("10.200.0.1")).isTrue();
    }

    @Test
    void zeroPrefixTrustsAWholeFamilyOnly() {
        TrustedProxies anyIpv4 = TrustedProxies.create(List.of("0.0.0.0/0"));
        TrustedProxies anyIpv6 = TrustedProxies.create(List.of("::/0"));

        assertThat(anyIpv4.isTrusted("198.51.100.1")).isTrue();
        assertThat(anyIpv4.isTrusted("2001:db8::1")).isFalse();
        assertThat(anyIpv6.isTrusted("2001:db8::1")).isTrue();
        assertThat(anyIpv6.isTrusted("198.51.100.1")).isFalse();
    }

    @Test
    void ipv6LoopbackMatchesEveryTextFormTheJdkProduces() {
        TrustedProxies trusted = TrustedProxies.create(List.of("::1/128"));

        assertThat(trusted.isTrusted("::1")).isTrue();
        assertThat(trusted.isTrusted("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(trusted.isTrusted("0:0:0:0:0:0:0:1%0")).isTrue();
        assertThat(trusted.isTrusted("::2")).isFalse();
        assertThat(trusted.isTrusted("127.0.0.1")).isFalse();
    }

    static Stream<Arguments> ipv6Cidrs() {
        return Stream.of(arguments("2001:db8::/32", "2001:db8:ffff:ffff::1", true),
                         arguments("2001:db8::/32", "2001:DB8::1", true),
                         arguments("2001:db8::/32", "2001:db9::1", false),
                         arguments("fd00::/8", "fdab:cd::1", true),
                         arguments("fd00::/8", "fe80::1", false),
                         arguments("2001:db8:0:0:8000::/65", "2001:db8::8000:0:0:1", true),
                         arguments("2001:db8:0:0:8000::/65", "2001:db8::7fff:0:0:1", false),
                         arguments("2001:db8::/64", "2001:db8::ffff:ffff:ffff:ffff", true),
                         arguments("2001:db8::/64", "2001:db8:0:1::", false),
                         arguments("2001:db8::1:0/127", "2001:db8::1:1", true),
                         arguments("2001:db8::1:0/127", "2001:db8::1:2", false));
    }

    @ParameterizedTest(name = "{0} trusts {1}: {2}")
    @MethodSource("ipv6Cidrs")
    void ipv6CidrTrustsExactlyItsBlock(String cidr, String address, boolean expected) {
        assertThat(TrustedProxies.create(List.of(cidr)).isTrusted(address)).isEqualTo(expected);
    }

    @Test
    void ipv4MappedAddressesMatchIpv4EntriesAndTheOtherWayRound() {
        TrustedProxies ipv4Entry = TrustedProxies.create(List.of("10.0.0.0/8"));
        TrustedProxies mappedEntry = TrustedProxies.create(List.of("::ffff:192.168.0.0/112"));

        assertThat(ipv4Entry.isTrusted("::ffff:10.1.2.3")).isTrue();
        assertThat(ipv4Entry.isTrusted("::ffff:11.1.2.3")).isFalse();
        assertThat(mappedEntry.isTrusted("192.168.3.4")).isTrue();
        assertThat(mappedEntry.isTrusted("192.169.0.1")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "proxy.internal", "", " 10.0.0.1", "10.0.0.1 ", "10.0.0", "10.0.0.1.5",
            "010.0.0.1", "10.0.0.256", "[::1]", "::1::", "10.0.0.1:8080", "unknown", "\u0661\u0660.0.0.1"})
    void anythingThatIsNotALiteralAddressIsUntrusted(String text) {
        TrustedProxies trusted = TrustedProxies.create(List.of("0.0.0.0/0", "::/0"));

        assertThat(trusted.isTrusted(text)).isFalse();
    }

    @Test
    void nullIsUntrusted() {
        assertThat(TrustedProxies.create(List.of("0.0.0.0/0")).isTrusted(null)).isFalse();
    }

    @Test
    void keepsTheEntriesAsConfiguredButTrimmed() {
        TrustedProxies trusted = TrustedProxies.create(List.of(" 10.0.0.0/8 ", "::1"));

        assertThat(trusted.entries()).containsExactly("10.0.0.0/8", "::1");
        assertThat(trusted).hasToString("TrustedProxies[10.0.0.0/8, ::1]");
        assertThat(trusted.isTrusted("10.9.9.9")).isTrue();
    }

    static Stream<Arguments> badEntries() {
        String address = "an IPv4 or IPv6 address, optionally with a /prefix";
        return Stream.of(arguments("10.0.0.0/33", "a prefix length of 0..32 after '/'"),
                         arguments("::/129", "a prefix length of 0..128 after '/'"),
                         arguments("10.0.0.0/", "a prefix length of 0..32 after '/'"),
                         arguments("10.0.0.0/-1", "a prefix length of 0..32 after '/'"),
                         arguments("10.0.0.0/0008", "a prefix length of 0..32 after '/'"),
                         arguments("10.0.0.0/8/8", "a prefix length of 0..32 after '/'"),
                         arguments("proxy.internal", address),
                         arguments("10.0.0", address),
                         arguments("", address));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("badEntries")
    void refusesABadEntryNamingKeyIndexValueAndExpectation(String entry, String expected) {
        assertThatThrownBy(() -> TrustedProxies.create("gateway.trusted-proxies", List.of("10.0.0.0/8", entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gateway.trusted-proxies[1]: \"" + entry + "\" (expected: " + expected + ")");
    }

    @Test
    void refusesANullEntry() {
        assertThatThrownBy(() -> TrustedProxies.create(Arrays.asList("10.0.0.0/8", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trusted-proxies[1]: null (expected: an IPv4 or IPv6 address, optionally with a /prefix)");
    }
}
