package dev.refgateway.gateway.relay.headers;

import java.util.List;

import dev.refgateway.gateway.testing.RawHttp;
import dev.refgateway.gateway.testing.TestHeaders;

import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The header helpers on headers exactly as Helidon's HTTP/1 parser and socket hand them over: name case as sent,
 * repeated header lines, and the peer address as {@code ServerRequest.remotePeer().host()} reports it.
 */
@ServerTest
class WireHeadersTest {

    private static final TrustedProxies LOOPBACK = TrustedProxies.create(List.of("127.0.0.0/8", "::1/128"));

    private final int port;

    WireHeadersTest(WebServer server) {
        this.port = server.port();
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.get("/copy", WireHeadersTest::copy)
                .get("/forward", WireHeadersTest::forward);
    }

    @Test
    void connectionListedHeadersFromTheWireAreNotCopied() {
        String answer = RawHttp.exchange(port, "GET /copy HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "connection: X-Foo\r\n"
                + "Connection: x-BAR ,  close\r\n"
                + "x-foo: 1\r\n"
                + "X-Bar: 2\r\n"
                + "X-Keep: 3\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(RawHttp.lastBody(answer)).isEqualTo("[x-keep]");
    }

    @Test
    void peerAddressFromTheSocketIsALiteralThatTrustedProxiesUnderstands() {
        String answer = RawHttp.exchange(port, "GET /forward HTTP/1.1\r\n"
                + "Host: shop.example\r\n"
                + "X-Forwarded-For: 198.51.100.7\r\n"
                + "Connection: close\r\n"
                + "\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(RawHttp.lastBody(answer)).matches(
                "client=198\\.51\\.100\\.7 xff=\\[198\\.51\\.100\\.7, (127\\.0\\.0\\.1|0:0:0:0:0:0:0:1)]"
                        + " host=\\[shop\\.example]");
    }

    private static void copy(ServerRequest req, ServerResponse res) {
        WritableHeaders<?> outgoing = WritableHeaders.create();
        HopByHopHeaders.copyRequestHeaders(req.headers(), outgoing);
        res.send(TestHeaders.names(outgoing).toString());
    }

    private static void forward(ServerRequest req, ServerResponse res) {
        String peer = req.remotePeer().host();
        WritableHeaders<?> outgoing = WritableHeaders.create();
        HopByHopHeaders.copyRequestHeaders(req.headers(), outgoing);
        ForwardedHeaders.apply(peer, "http", req.authority(), req.headers(), outgoing, LOOPBACK);
        res.send("client=" + ForwardedHeaders.clientIp(peer, req.headers(), LOOPBACK)
                         + " xff=" + outgoing.all(HeaderNames.X_FORWARDED_FOR, List::of)
                         + " host=" + outgoing.all(HeaderNames.X_FORWARDED_HOST, List::of));
    }
}
