package dev.refgateway.gateway.proxy;

import java.time.Duration;

import dev.refgateway.discovery.ServiceInstance;

import io.helidon.common.socket.SocketOptions;
import io.helidon.common.uri.UriInfo;
import io.helidon.common.uri.UriPath;
import io.helidon.http.Method;
import io.helidon.webclient.api.ClientUri;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;

/**
 * The HTTP/1.1 client that talks to instances: pooled keep-alive connections per instance (Helidon keys its pool by
 * scheme, host and port), and the settings a proxy needs that differ from a normal client's defaults
 * (see HELIDON-NOTES): no system proxy look-up, no redirects followed, no {@code Expect: 100-continue},
 * TCP_NODELAY on, no second validation of headers already validated.
 */
final class UpstreamClient {

    private final Http1Client client;

    UpstreamClient(Duration connectTimeout, int idleConnectionsPerInstance) {
        this.client = Http1Client.builder()
                .proxy(Proxy.noProxy())
                .followRedirects(false)
                .sendExpectContinue(false)
                // The headers sent upstream are the client's, which the server validated when it parsed them, and
                // the gateway's own: validating them again costs ~5 % of the CPU (bench/PROFILE.md). The instance's
                // answers are still validated here, on their way in.
                .protocolConfig(protocol -> protocol.validateRequestHeaders(false).validateResponseHeaders(true))
                .shareConnectionCache(false)
                .connectionCacheSize(idleConnectionsPerInstance)
                .connectTimeout(connectTimeout)
                .socketOptions(SocketOptions.builder()
                                       .tcpNoDelay(true)
                                       .connectTimeout(connectTimeout)
                                       .build())
                .build();
    }

    /**
     * A request to {@code instance} whose request line carries {@code rawPath} and {@code rawQuery} byte for byte:
     * the client's own query API would reorder, regroup or re-encode parameters, so the query rides in the raw path.
     * (Helidon's {@code skipUriEncoding(true)} would do the opposite of its name here: it writes the decoded path.)
     */
    Http1ClientRequest request(Method method, ServiceInstance instance, String rawPath, String rawQuery,
                               Duration readTimeout) {
        String pathAndQuery = rawQuery == null || rawQuery.isEmpty() ? rawPath : rawPath + "?" + rawQuery;
        UriInfo uri = UriInfo.builder()
                .scheme("http")
                .host(instance.host())
                .port(instance.port())
                .path(UriPath.create(pathAndQuery))
                .build();
        return client.method(method)
                .uri(ClientUri.create(uri))
                .readTimeout(readTimeout);
    }
}
