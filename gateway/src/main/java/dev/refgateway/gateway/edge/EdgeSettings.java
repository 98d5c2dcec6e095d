package dev.refgateway.gateway.edge;

import java.time.Duration;

import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;

import io.helidon.config.Config;

/**
 * What the edge enforces on client connections ({@code gateway.limits}), and the access log
 * ({@code gateway.access-log}). The request-line limit is Helidon's own
 * {@code server.protocols.http_1_1.max-prologue-length}, the body limit its {@code server.max-payload-size}.
 *
 * @param maxHeaderBytes    see {@link #MAX_HEADER_BYTES}
 * @param headerReadTimeout see {@link #HEADER_READ_TIMEOUT}
 * @param bodyReadTimeout   see {@link #BODY_READ_TIMEOUT}
 * @param bodyMinRate       see {@link #BODY_MIN_RATE} (Apache's {@code mod_reqtimeout} MinRate)
 * @param maxConnections    see {@link #MAX_CONNECTIONS}
 * @param drainMaxBytes     see {@link #DRAIN_MAX_BYTES}
 * @param drainTimeout      see {@link #DRAIN_TIMEOUT}
 * @param accessLogEnabled  see {@link #ACCESS_LOG_ENABLED}
 */
public record EdgeSettings(int maxHeaderBytes,
                           Duration headerReadTimeout,
                           Duration bodyReadTimeout,
                           int bodyMinRate,
                           int maxConnections,
                           int drainMaxBytes,
                           Duration drainTimeout,
                           boolean accessLogEnabled) {

    public static final Option.Int MAX_HEADER_BYTES = Option.integer(
            "max-header-bytes", 16384, 256, 1024 * 1024,
            "A header section (field lines with their CRLFs) above this is answered 431 and the connection closed.");
    /**
     * A client sends its request head in one go, usually in one packet: even a slow mobile link needs well under a
     * second. 10 s leaves room for a congested link and frees a connection held open by a Slowloris client six times
     * sooner than nginx's default (client_header_timeout 60 s); HAProxy's documentation suggests about the same for
     * "timeout http-request".
     */
    public static final Option.Time HEADER_READ_TIMEOUT = Option.duration(
            "header-read-timeout", Duration.ofSeconds(10), Duration.ofMillis(100),
            "How long a request line and header section may take in all, from their first byte (from the accept for "
                    + "a connection's first request); then 408 and the connection closed. Not a per-read timeout: a "
                    + "client trickling a byte a second is cut off too.");
    /** Apache's {@code mod_reqtimeout} defaults: {@code body=20}, {@code MinRate=500}. */
    public static final Option.Time BODY_READ_TIMEOUT = Option.duration(
            "body-read-timeout", Duration.ofSeconds(20), Duration.ofMillis(100),
            "The base of a request body's deadline, and the longest pause between two of its bytes; then 408 (if no "
                    + "answer started) and the connection closed.");
    public static final Option.Int BODY_MIN_RATE = Option.integer(
            "body-min-rate", 500, 1, 1 << 30,
            "Bytes per second a body must average beyond the base: each this many bytes received add one second "
                    + "to its deadline.");
    public static final Option.Int MAX_CONNECTIONS = Option.integer(
            "max-connections", 8_000, 1, 1_000_000,
            "Client connections open at once on the public port; beyond it 503 and closed. Each open connection "
                    + "holds ~25 KiB of heap: gateway/jvm.options' -Xmx is sized for this default.");
    public static final Option.Int DRAIN_MAX_BYTES = Option.integer(
            "drain-max-bytes", 64 * 1024, 0, 16 * 1024 * 1024,
            "How much of a refused request's unread body (401, 404, 429...) is read and dropped so that its "
                    + "connection can be kept; 0: close every such connection.");
    public static final Option.Time DRAIN_TIMEOUT = Option.duration(
            "drain-timeout", Duration.ofSeconds(2), Duration.ofMillis(1), "How long that drain may take.");
    public static final Options LIMITS = Options.of(
            "gateway.limits", "What the edge enforces on client connections.", MAX_HEADER_BYTES,
            HEADER_READ_TIMEOUT, BODY_READ_TIMEOUT, BODY_MIN_RATE, MAX_CONNECTIONS, DRAIN_MAX_BYTES, DRAIN_TIMEOUT);
    public static final Option.Flag ACCESS_LOG_ENABLED = Option.flag(
            "enabled", true, "Whether one JSON line per request goes to the logger dev.refgateway.gateway.access.");
    public static final Options ACCESS_LOG = Options.of(
            "gateway.access-log", "The access log.", ACCESS_LOG_ENABLED);

    public EdgeSettings {
        MAX_HEADER_BYTES.check(maxHeaderBytes);
        HEADER_READ_TIMEOUT.check(headerReadTimeout);
        BODY_READ_TIMEOUT.check(bodyReadTimeout);
        BODY_MIN_RATE.check(bodyMinRate);
        MAX_CONNECTIONS.check(maxConnections);
        DRAIN_MAX_BYTES.check(drainMaxBytes);
        DRAIN_TIMEOUT.check(drainTimeout);
    }

    /** Every default. */
    public static EdgeSettings defaults() {
        return new EdgeSettings(MAX_HEADER_BYTES.defaultValue(), HEADER_READ_TIMEOUT.defaultValue(),
                                BODY_READ_TIMEOUT.defaultValue(), BODY_MIN_RATE.defaultValue(),
                                MAX_CONNECTIONS.defaultValue(), DRAIN_MAX_BYTES.defaultValue(),
                                DRAIN_TIMEOUT.defaultValue(), ACCESS_LOG_ENABLED.defaultValue());
    }

    /** These settings with another connection cap (for the admin socket). */
    public EdgeSettings withMaxConnections(int max) {
        return new EdgeSettings(maxHeaderBytes, headerReadTimeout, bodyReadTimeout, bodyMinRate, max, drainMaxBytes,
                                drainTimeout, accessLogEnabled);
    }

    /** Reads {@code limits} and {@code access-log} under the {@code gateway} node; every key is optional. */
    public static EdgeSettings create(Config gateway) {
        ConfigNode node = ConfigNode.of(gateway);
        boolean accessLog = ACCESS_LOG.read(node.get("access-log")).get(ACCESS_LOG_ENABLED);
        return LIMITS.build(node.get("limits"), limits -> new EdgeSettings(
                limits.get(MAX_HEADER_BYTES), limits.get(HEADER_READ_TIMEOUT), limits.get(BODY_READ_TIMEOUT),
                limits.get(BODY_MIN_RATE), limits.get(MAX_CONNECTIONS), limits.get(DRAIN_MAX_BYTES),
                limits.get(DRAIN_TIMEOUT), accessLog));
    }
}
