package dev.refgateway.gateway.relay.headers;

import java.util.List;
import java.util.stream.Stream;

import dev.refgateway.gateway.testing.TestHeaders;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.WritableHeaders;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ForwardedHeadersTest {

    private static final TrustedProxies TRUSTED = TrustedProxies.create(List.of("10.0.0.0/8", "2001:db8::/32"));
    private static final String CLIENT = "198.51.100.7";
    private static final String LOAD_BALANCER = "10.0.0.5";

    @Test
    void replacesForwardedForSpoofedByAnUntrustedPeer() {
        Headers incoming = TestHeaders.of("X-Forwarded-For", "1.2.3.4, 10.0.0.1");

        WritableHeaders<?> outgoing = forward(CLIENT, incoming);

        assertThat(values(outgoing, HeaderNames.X_FORWARDED_FOR)).containsExactly(CLIENT);
    }

    @Test
    void appendsTheTrustedPeerToTheIncomingChain() {
        Headers incoming = TestHeaders.of("X-Forwarded-For", " 203.0.113.9, 198.51.100.7 ");

        WritableHeaders<?> outgoing = forward(LOAD_BALANCER, incoming);

        assertThat(values(outgoing, HeaderNames.X_FORWARDED_FOR))
                .containsExactly("203.0.113.9, 198.51.100.7, 10.0.0.5");
    }

    @Test
    void joinsSeveralIncomingForwardedForHeadersInOrderBeforeAppending() {
        Headers incoming = TestHeaders.of("X-Forwarded-For", "203.0.113.9",
                                          "X-Forwarded-For", "  ",
                                          "X-Forwarded-For", "198.51.100.7");

        WritableHeaders<?> outgoing = forward(LOAD_BALANCER, incoming);

        assertThat(values(outgoing, HeaderNames.X_FORWARDED_FOR))
                .containsExactly("203.0.113.9, 198.51.100.7, 10.0.0.5");
    }

    @Test
    void startsTheChainWhenATrustedPeerSentNoneOrABlankOne() {
        assertThat(values(forward(LOAD_BALANCER, TestHeaders.of()), HeaderNames.X_FORWARDED_FOR))
                .containsExactly(LOAD_BALANCER);
        assertThat(values(forward(LOAD_BALANCER, TestHeaders.of("X-Forwarded-For", " ")),
                          HeaderNames.X_FORWARDED_FOR))
                .containsExactly(LOAD_BALANCER);
    }

    @Test
    void appendsATrustedIpv6PeerMatchedByCidr() {
        Headers incoming = TestHeaders.of("X-Forwarded-For", CLIENT);

        WritableHeaders<?> outgoing = forward("2001:db8::5", incoming);

        assertThat(values(outgoing, HeaderNames.X_FORWARDED_FOR)).containsExactly("198.51.100.7, 2001:db8::5");
    }

    @Test
    void replacesProtoAndHostClaimedByAnUntrustedPeer() {
        Headers incoming = TestHeaders.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "admin.internal");

        WritableHeaders<?> outgoing = forward(CLIENT, incoming);

        assertThat(values(outgoing, HeaderNames.X_FORWARDED_PROTO)).containsExactly("http");
        assertThat(values(outgoing, HeaderNames.X_FORWARDED_HOST)).containsExactly("shop.example:8080");
    }

    @Test
    void keepsProtoAndHostSentByATrustedPeer() {
        Headers incoming = TestHeaders.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "shop.example");

        WritableHeaders<?> outgoing = forward(LOAD_BALANCER, incoming);

        assertThat(values(outgoing, HeaderNames.X_FORWARDED_PROTO)).containsExactly("https");
        assertThat(values(outgoing, HeaderNames.X_FORWARDED_HOST)).containsExactly("shop.example");
    }

    @Test
    void setsProtoAndHostFromThisRequestWhenATrustedPeerSentNone() {
        WritableHeaders<?> outgoing = forward(LOAD_BALANCER, TestHeaders.of());

        assertThat(values(outgoing, HeaderNames.X_FORWARDED_PROTO)).containsExactly("http");
        assertThat(values(outgoing, HeaderNames.X_FORWARDED_HOST)).containsExactly("shop.example:8080");
    }

    @Test
    void dropsForwardedHostWhenTheRequestHadNoHost() {
        Headers incoming = TestHeaders.of("X-Forwarded-Host", "admin.internal");
        WritableHeaders<?> outgoing = WritableHeaders.create();
        HopByHopHeaders.copyRequestHeaders(incoming, outgoing);

        ForwardedHeaders.apply(CLIENT, "https", null, incoming, outgoing, TRUSTED);

        assertThat(outgoing.contains(HeaderNames.X_FORWARDED_HOST)).isFalse();
        assertThat(values(outgoing, HeaderNames.X_FORWARDED_PROTO)).containsExactly("https");
    }

    @Test
    void removesForwardedAndOtherForwardingHeadersFromAnUntrustedPeer() {
        Headers incoming = TestHeaders.of("Forwarded", "for=1.2.3.4;proto=https",
                                          "X-Forwarded-Port", "443",
                                          "X-Forwarded-Prefix", "/admin",
                                          "Accept", "*/*");

        WritableHeaders<?> outgoing = forward(CLIENT, incoming);

        assertThat(TestHeaders.names(outgoing))
                .containsExactly("accept", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto");
    }

    @Test
    void keepsForwardedAndOtherForwardingHeadersFromATrustedPeer() {
        Headers incoming = TestHeaders.of("Forwarded", "for=198.51.100.7;proto=https",
                                          "X-Forwarded-Port", "443",
                                          "X-Forwarded-Prefix", "/shop");

        WritableHeaders<?> outgoing = forward(LOAD_BALANCER, incoming);

        assertThat(values(outgoing, HeaderNames.FORWARDED)).containsExactly("for=198.51.100.7;proto=https");
        assertThat(values(outgoing, HeaderNames.X_FORWARDED_PORT)).containsExactly("443");
        assertThat(values(outgoing, HeaderNames.X_FORWARDED_PREFIX)).containsExactly("/shop");
    }

    @Test
    void forwardingHeadersCannotBeStrippedByNamingThemInConnection() {
        Headers incoming = TestHeaders.of("Connection", "X-Forwarded-For, X-Forwarded-Proto, X-Forwarded-Host");

        WritableHeaders<?> outgoing = forward(CLIENT, incoming);

        assertThat(values(outgoing, HeaderNames.X_FORWARDED_FOR)).containsExactly(CLIENT);
        assertThat(values(outgoing, HeaderNames.X_FORWARDED_PROTO)).containsExactly("http");
        assertThat(values(outgoing, HeaderNames.X_FORWARDED_HOST)).containsExactly("shop.example:8080");
    }

    static Stream<Arguments> clientIps() {
        return Stream.of(
                arguments("untrusted peer: its claim is ignored", CLIENT, List.of("1.2.3.4"), CLIENT),
                arguments("trusted peer without a chain", LOAD_BALANCER, List.of(), LOAD_BALANCER),
                arguments("trusted peer names the client", LOAD_BALANCER, List.of(CLIENT), CLIENT),
                arguments("walks past trusted hops", LOAD_BALANCER, List.of("198.51.100.7, 10.0.0.9, 10.0.0.8"),
                          CLIENT),
                arguments("spoofed left part never reached", LOAD_BALANCER,
                          List.of("6.6.6.6, 198.51.100.7, 10.0.0.9"), CLIENT),
                arguments("all trusted: the left-most", LOAD_BALANCER, List.of("10.0.0.3, 10.0.0.2"), "10.0.0.3"),
                arguments("garbage stops the walk", LOAD_BALANCER, List.of("198.51.100.7, unknown, 10.0.0.2"),
                          "10.0.0.2"),
                arguments("garbage next to the peer", LOAD_BALANCER, List.of("_hidden"), LOAD_BALANCER),
                arguments("several headers, in order", LOAD_BALANCER, List.of("6.6.6.6, 198.51.100.7", "10.0.0.2"),
                          CLIENT),
                arguments("empty elements skipped", LOAD_BALANCER, List.of(" 198.51.100.7 ,, 10.0.0.2 , "),
                          CLIENT),
                arguments("IPv4 with a port", LOAD_BALANCER, List.of("198.51.100.7:5678, 10.0.0.2:80"), CLIENT),
                arguments("bracketed IPv6 with a port", LOAD_BALANCER, List.of("[2001:db9::1]:443, [2001:db8::2]"),
                          "2001:db9::1"),
                arguments("bare IPv6", "2001:db8::5", List.of("2001:db9::1, 2001:db8::2"), "2001:db9::1"),
                arguments("unclosed bracket is garbage", LOAD_BALANCER, List.of("[2001:db9::1, 10.0.0.2"),
                          "10.0.0.2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientIps")
    void clientIpIsTheFirstUntrustedAddressFromTheRight(String description, String peer, List<String> chains,
                                                        String expected) {
        WritableHeaders<?> incoming = WritableHeaders.create();
        chains.forEach(chain -> incoming.add(HeaderNames.X_FORWARDED_FOR, chain));

        assertThat(ForwardedHeaders.clientIp(peer, incoming, TRUSTED)).isEqualTo(expected);
    }

    @Test
    void clientIpIsThePeerWhenNobodyIsTrusted() {
        Headers incoming = TestHeaders.of("X-Forwarded-For", "1.2.3.4");

        assertThat(ForwardedHeaders.clientIp(LOAD_BALANCER, incoming, TrustedProxies.none()))
                .isEqualTo(LOAD_BALANCER);
    }

    /** Copies like the proxy does, then applies the forwarding headers for an http request to shop.example:8080. */
    private static WritableHeaders<?> forward(String peer, Headers incoming) {
        WritableHeaders<?> outgoing = WritableHeaders.create();
        HopByHopHeaders.copyRequestHeaders(incoming, outgoing);
        ForwardedHeaders.apply(peer, "http", "shop.example:8080", incoming, outgoing, TRUSTED);
        return outgoing;
    }

    private static List<String> values(Headers headers, HeaderName name) {
        return headers.all(name, List::of);
    }
}
