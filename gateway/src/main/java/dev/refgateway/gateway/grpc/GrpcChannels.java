package dev.refgateway.gateway.grpc;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;

/**
 * One HTTP/2 channel per instance address ({@code host:port}), plaintext, created on first use: every call to an
 * instance is a stream on its connection. An instance that failed is retried at once when failover picks it again
 * (grpc-java would otherwise wait out its own reconnect back-off, up to two minutes, and fail the call at once:
 * the gateway's ejection and circuit breaker already decide when an instance is tried). A channel idle for
 * {@code idleTimeout} closes its connection; the map holds one entry per address ever called, which Consul's
 * instances bound.
 */
final class GrpcChannels implements AutoCloseable {

    private final ConcurrentMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final int maxMessageBytes;

    GrpcChannels(Duration connectTimeout, Duration idleTimeout, int maxMessageBytes) {
        this.connectTimeout = connectTimeout;
        this.idleTimeout = idleTimeout;
        this.maxMessageBytes = maxMessageBytes;
    }

    ManagedChannel channel(String host, int port) {
        ManagedChannel channel = channels.computeIfAbsent(host + ":" + port, address -> NettyChannelBuilder
                .forAddress(host, port)
                .usePlaintext()
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, connectTimeout.toMillis()))
                .idleTimeout(Math.max(1, idleTimeout.toMillis()), TimeUnit.MILLISECONDS)
                .maxInboundMessageSize(maxMessageBytes)
                .build());
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            channel.resetConnectBackoff();
        }
        return channel;
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
