package dev.refgateway.gateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrTest {

    @Test
    void ipv4BlockContainsItsAddressesOnly() throws UnknownHostException {
        Cidr block = Cidr.parse("10.1.0.0/16");

        assertThat(block.contains(address("10.1.255.7"))).isTrue();
        assertThat(block.contains(address("10.2.0.1"))).isFalse();
        assertThat(block.contains(address("::1"))).isFalse();
    }

    @Test
    void prefixNotOnAByteBoundary() throws UnknownHostException {
        Cidr block = Cidr.parse("172.16.0.0/12");

        assertThat(block.contains(address("172.31.255.255"))).isTrue();
        assertThat(block.contains(address("172.32.0.0"))).isFalse();
    }

    @Test
    void singleAddressesAndIpv6Blocks() throws UnknownHostException {
        assertThat(Cidr.parse("192.168.1.10").contains(address("192.168.1.10"))).isTrue();
        assertThat(Cidr.parse("192.168.1.10").contains(address("192.168.1.11"))).isFalse();
        assertThat(Cidr.parse("fd00::/8").contains(address("fd12:3456::1"))).isTrue();
        assertThat(Cidr.parse("fd00::/8").contains(address("fe80::1"))).isFalse();
        assertThat(Cidr.parse("::1").prefixLength()).isEqualTo(128);
        assertThat(Cidr.parse("0.0.0.0/0").contains(address("8.8.8.8"))).isTrue();
    }

    @Test
    void malformedBlocksAndHostNamesAreRejectedWithoutDns() {
        for (String bad : new String[] {"10.0.0.0/33", "10.0.0", "256.0.0.1", "10.0.0.1/", "10.0.0.1/-1",
                "localhost", "example.com/8", "fd00::/129", "fe80::1%eth0", "1:2:3", "", " / "}) {
            assertThatThrownBy(() -> Cidr.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("\"" + bad + "\" (expected: an IPv4 or IPv6 address with an optional /prefix, such "
                            + "as 10.0.0.0/8 or fd00::/8)");
        }
    }

    private static InetAddress address(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }
}
