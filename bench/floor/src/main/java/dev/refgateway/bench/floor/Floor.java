package dev.refgateway.bench.floor;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

import io.helidon.common.socket.SocketOptions;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.WebServer;

/**
 * The benchmark's platform floor: what a reverse proxy costs on Helidon 4.5 with none of the gateway's features,
 * so that the gateway's figures can be read against Helidon's own. Helidon's WebServer in front, its WebClient
 * (pooled keep-alive connections) behind, round robin over fixed backends; Helidon's known gotchas fixed and
 * nothing else (bench/README.md says exactly what it does and does not do).
 * <pre>
 * java -jar bench/floor/target/bench-floor.jar PORT BACKEND_ORIGIN...
 * java -jar bench/floor/target/bench-floor.jar 18092 http://127.0.0.1:18081 http://127.0.0.1:18082
 * </pre>
 */
public final class Floor {

    private Floor() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: java -jar bench-floor.jar PORT BACKEND_ORIGIN... (e.g. http://127.0.0.1:8081)");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        List<String> backends = Arrays.stream(args, 1, args.length).map(Floor::origin).toList();
        SocketOptions noDelay = SocketOptions.builder().tcpNoDelay(true).build();
        WebClient client = WebClient.builder()
                // Without it, the WebClient asks the system's ProxySelector for every request.
                .proxy(Proxy.noProxy())
                // Helidon leaves Nagle's algorithm on: a request head and its body, or an answer's pieces, would
                // wait for the peer's delayed ACK (~40 ms).
                .socketOptions(noDelay)
                // A proxy relays redirects rather than following them, and sends a client's body as it comes
                // rather than waiting for a 100 Continue of the backend's.
                .followRedirects(false)
                .sendExpectContinue(false)
                .build();
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .connectionOptions(noDelay)
                .routing(routing -> routing.any(new Forward(client, backends)))
                .build()
                .start();
        System.out.println("bench-floor: listening on 127.0.0.1:" + server.port() + ", round robin over " + backends);
    }

    /** {@code http://host:port} of a backend; a path, query or trailing slash is refused. */
    private static String origin(String backend) {
        URI uri = URI.create(backend);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null) {
            throw new IllegalArgumentException("A backend is http://host:port, nothing more: " + backend);
        }
        return backend;
    }
}
