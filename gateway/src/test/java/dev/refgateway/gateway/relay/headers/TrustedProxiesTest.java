package dev.refgateway.gateway.relay.headers;

import java.net.InetAddress;
import java.net.UnknownHostException;
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
    @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "10.20.30.40", "255.255.255.255", "192.168.0.1", "1.2.3.4"})
    void anIpv4EntryTrustsExactlyTheAddressTheJdkReads(String literal) throws UnknownHostException {
        assertTrustsExactlyWhatTheJdkReads(literal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"::", "::1", "1::", "1:2:3:4:5:6:7:8", "2001:db8::1", "2001:DB8:0:0:8:800:200C:417A",
            "fe80::1:2", "0:0:0:0:0:0:0:1", "::ffff:1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1::1.2.3.4", "abcd:ef01::",
            "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "1:0:0:0:0:0:0:0"})
    void anIpv6EntryTrustsExactlyTheAddressTheJdkReads(String literal) throws UnknownHostException {
        assertTrustsExactlyWhatTheJdkReads(literal);
    }

    /** The entry {@code literal} trusts itself and the JDK's reading of it, and nothing one bit away. */
    private static void assertTrustsExactlyWhatTheJdkReads(String literal) throws UnknownHostException {
        TrustedProxies trusted = TrustedProxies.create(List.of(literal));
        // the JDK folds IPv4-mapped addresses into IPv4, as TrustedProxies does
        byte[] address = InetAddress.getByName(literal).getAddress();

        assertThat(trusted.isTrusted(literal)).isTrue();
        assertThat(trusted.isTrusted(InetAddress.getByAddress(address).getHostAddress())).isTrue();
        for (int bit = 0; bit < address.length * 8; bit++) {
            byte[] neighbour = address.clone();
            neighbour[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
            String text = InetAddress.getByAddress(neighbour).getHostAddress();
            assertThat(trusted.isTrusted(text)).as("%s trusts %s", literal, text).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.2.3", "1.2.3.4.5", "1.2.3.256", "1.2.3.-1", "01.2.3.4", "1.2.3.04", "1..3.4",
            "1.2.3.4.", ".1.2.3", "1.2.3.4:80", "a.b.c.d", "1234.1.1.1", "localhost", ":", ":::", "::1::",
            "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "::1.2.3", "::1.2.3.4.5", "::01.2.3.4", "g::1",
            "1:2:3:4:5:6:7:1.2.3.4", "1:", ":1", "1::2:", "[::1]", "[::1]:80", "1:2:3:4:5:6:7:8::", "::1.2.3.4:5",
            "0000:0000:0000:0000:0000:0000:0000:0000:0000"})
    void whatIsNotALiteralIsNeitherTrustedNorAnEntry(String text) {
        TrustedProxies trusted = TrustedProxies.create(List.of("0.0.0.0/0", "::/0"));

        assertThat(trusted.isTrusted(text)).isFalse();
        assertThatThrownBy(() -> TrustedProxies.create("gateway.trusted-proxies", List.of(text)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gateway.trusted-proxies[0]: \"" + text
                                    + "\" (expected: an IPv4 or IPv6 address, optionally with a /prefix)");
    }

    // Guava's InetAddresses reads digits with Character.digit and would take each of these for an address
    @ParameterizedTest
    @ValueSource(strings = {"\u0661\u0660.0.0.1", "\u0661.2.3.4", "\uFF11\uFF10.0.0.1", "10.0.0.\u0968",
            "\u0661::1", "2001:db8::\uFF21", "\uFF10:0:0:0:0:0:0:1", "::ffff:\u0661\u0660.0.0.1"})
    void nonAsciiDigitsAreNeitherTrustedNorAnEntry(String text) {
        TrustedProxies trusted = TrustedProxies.create(List.of("0.0.0.0/0", "::/0"));

        assertThat(trusted.isTrusted(text)).isFalse();
        assertThatThrownBy(() -> TrustedProxies.create("gateway.trusted-proxies", List.of(text + "/8")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gateway.trusted-proxies[0]: \"" + text
                                    + "/8\" (expected: an IPv4 or IPv6 address, optionally with a /prefix)");
        assertThatThrownBy(() -> TrustedProxies.create("gateway.trusted-proxies", List.of("10.0.0.0/\u0668")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gateway.trusted-proxies[0]: \"10.0.0.0/\u0668\""
                                    + " (expected: a prefix length of 0..32 after '/')");
    }

    @Test
    void aZoneIdIsIgnoredInAPeerAddressButRefusedInAnEntry() {
        TrustedProxies trusted = TrustedProxies.create(List.of("::1/128", "fe80::/10", "10.0.0.0/8"));

        assertThat(trusted.isTrusted("::1%eth0")).isTrue();
        // an interface that does not exist here: the zone id is not looked up
        assertThat(trusted.isTrusted("fe80::1%no-such-interface")).isTrue();
        assertThat(trusted.isTrusted("10.0.0.1%eth0")).isTrue();
        assertThat(trusted.isTrusted("::ffff:10.0.0.1%eth0")).isTrue();
        assertThat(trusted.isTrusted("%eth0")).isFalse();
        assertThatThrownBy(() -> TrustedProxies.create(List.of("::1%eth0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trusted-proxies[0]: \"::1%eth0\""
                                    + " (expected: an IPv4 or IPv6 address, optionally with a /prefix)");
    }

    @Test
    void whitespaceIsTrimmedFromEntriesButNotFromPeerAddresses() {
        TrustedProxies trusted = TrustedProxies.create(List.of("1.2.3.4 ", " ::1"));

        assertThat(trusted.isTrusted("1.2.3.4")).isTrue();
        assertThat(trusted.isTrusted("::1")).isTrue();
        assertThat(trusted.isTrusted("1.2.3.4 ")).isFalse();
        assertThat(trusted.isTrusted(" 1.2.3.4")).isFalse();
        assertThat(trusted.isTrusted(" ::1")).isFalse();
    }

    @Test
    void classifiesOnlyTheGivenRegion() {
        TrustedProxies trusted = TrustedProxies.create(List.of("2001:db8::7", "10.0.0.1"));

        assertThat(trusted.classify("for=[2001:db8::7]:443", 5, 16)).isEqualTo(TrustedProxies.TRUSTED);
        assertThat(trusted.classify("for=[2001:db8::8]:443", 5, 16)).isEqualTo(TrustedProxies.UNTRUSTED);
        assertThat(trusted.classify("x10.0.0.1y", 1, 9)).isEqualTo(TrustedProxies.TRUSTED);
        assertThat(trusted.classify("x10.0.0.1y", 1, 10)).isEqualTo(TrustedProxies.NOT_AN_ADDRESS);
        assertThat(trusted.classify("10.0.0.1%eth0, 10.0.0.2", 0, 13)).isEqualTo(TrustedProxies.TRUSTED);
        assertThat(trusted.classify("10.0.0.2, 10.0.0.1", 10, 18)).isEqualTo(TrustedProxies.TRUSTED);
    }

    @Test
    void onlyIpv4MappedAddressesAreIpv4NotIpv4Compatible() {
        TrustedProxies ipv4Entry = TrustedProxies.create(List.of("10.0.0.1"));
        TrustedProxies compatibleEntry = TrustedProxies.create(List.of("::10.0.0.1"));

        assertThat(ipv4Entry.isTrusted("::ffff:10.0.0.1")).isTrue();
        assertThat(ipv4Entry.isTrusted("::ffff:a00:1")).isTrue();
        assertThat(ipv4Entry.isTrusted("0:0:0:0:0:ffff:a00:1")).isTrue();
        assertThat(ipv4Entry.isTrusted("::10.0.0.1")).isFalse();
        assertThat(compatibleEntry.isTrusted("::10.0.0.1")).isTrue();
        assertThat(compatibleEntry.isTrusted("::a00:1")).isTrue();
        assertThat(compatibleEntry.isTrusted("10.0.0.1")).isFalse();
        assertThat(compatibleEntry.isTrusted("::ffff:10.0.0.1")).isFalse();
    }

    @Test
    void aMappedEntryWithAPrefixShorterThan96StaysIpv6() {
        TrustedProxies mappedEntry = TrustedProxies.create(List.of("::ffff:0:0/95"));

        assertThat(mappedEntry.isTrusted("::fffe:0:1")).isTrue();
        assertThat(mappedEntry.isTrusted("::fffd:0:1")).isFalse();
        // a mapped peer address is IPv4, and IPv6 entries do not match IPv4 addresses
        assertThat(mappedEntry.isTrusted("::ffff:1.2.3.4")).isFalse();
        assertThat(mappedEntry.isTrusted("1.2.3.4")).isFalse();
    }

    @Test
    void aMappedEntryOf96BitsOrMoreIsAnIpv4Entry() {
        TrustedProxies allIpv4 = TrustedProxies.create(List.of("::ffff:0:0/96"));
        TrustedProxies oneHost = TrustedProxies.create(List.of("::ffff:10.0.0.1"));

        assertThat(allIpv4.isTrusted("198.51.100.1")).isTrue();
        assertThat(allIpv4.isTrusted("::ffff:198.51.100.1")).isTrue();
        assertThat(allIpv4.isTrusted("::1")).isFalse();
        assertThat(oneHost.isTrusted("10.0.0.1")).isTrue();
        assertThat(oneHost.isTrusted("10.0.0.2")).isFalse();
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
