package dev.refgateway.gateway.relay.headers;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class IpLiteralsTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "10.20.30.40", "255.255.255.255", "192.168.0.1", "1.2.3.4"})
    void parsesIpv4LiteralsLikeTheJdk(String literal) throws UnknownHostException {
        long expected = Integer.toUnsignedLong(ByteBuffer.wrap(InetAddress.getByName(literal).getAddress()).getInt());

        assertThat(IpLiterals.parseIpv4(literal, 0, literal.length())).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.2.3", "1.2.3.4.5", "1.2.3.256", "1.2.3.-1", "01.2.3.4", "1.2.3.04", "1..3.4",
            "1.2.3.4.", ".1.2.3", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4:80", "a.b.c.d", "1234.1.1.1", "\u0661.2.3.4",
            "::1", "localhost"})
    void refusesAnythingElseAsIpv4(String text) {
        assertThat(IpLiterals.parseIpv4(text, 0, text.length())).isEqualTo(IpLiterals.NOT_IPV4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"::", "::1", "1::", "1:2:3:4:5:6:7:8", "2001:db8::1", "2001:DB8:0:0:8:800:200C:417A",
            "fe80::1:2", "0:0:0:0:0:0:0:1", "::ffff:1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1::1.2.3.4", "abcd:ef01::",
            "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "1:0:0:0:0:0:0:0"})
    void parsesIpv6LiteralsLikeTheJdk(String literal) throws UnknownHostException {
        byte[] bytes = InetAddress.getByName(literal).getAddress();
        if (bytes.length == 4) {
            // the JDK folds IPv4-mapped addresses into IPv4
            bytes = ByteBuffer.allocate(16).putLong(0).putInt(0xFFFF).put(bytes).array();
        }
        ByteBuffer expected = ByteBuffer.wrap(bytes);

        IpLiterals.Ipv6 parsed = IpLiterals.parseIpv6(literal, 0, literal.length());

        assertThat(parsed).isEqualTo(new IpLiterals.Ipv6(expected.getLong(), expected.getLong()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", ":::", "::1::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::",
            "1.2.3.4", "::1.2.3", "::1.2.3.4.5", "g::1", "1:2:3:4:5:6:7:1.2.3.4", "1:", ":1", "1::2:", "[::1]",
            "::1%eth0", "1:2:3:4:5:6:7:8::", "::1.2.3.4:5", "localhost"})
    void refusesAnythingElseAsIpv6(String text) {
        assertThat(IpLiterals.parseIpv6(text, 0, text.length())).isNull();
    }

    @Test
    void parsesOnlyTheGivenRegion() {
        String text = "for=[2001:db8::7]:443";

        assertThat(IpLiterals.parseIpv6(text, 5, 16)).isEqualTo(new IpLiterals.Ipv6(0x20010db800000000L, 7));
        assertThat(IpLiterals.parseIpv4("x10.0.0.1y", 1, 9)).isEqualTo(0x0A000001L);
    }

    @Test
    void recognisesIpv4MappedAddresses() {
        IpLiterals.Ipv6 mapped = IpLiterals.parseIpv6("::ffff:10.0.0.1", 0, 15);
        IpLiterals.Ipv6 compatible = IpLiterals.parseIpv6("::10.0.0.1", 0, 10);

        assertThat(mapped.isIpv4Mapped()).isTrue();
        assertThat(mapped.ipv4()).isEqualTo(0x0A000001L);
        assertThat(compatible.isIpv4Mapped()).isFalse();
    }
}
