package dev.refgateway.gateway.config;

import java.time.Duration;
import java.util.Set;

import io.helidon.config.Config;

/**
 * What the edge enforces on client connections, and the access log, read from {@code gateway.limits} and
 * {@code gateway.access-log}. The request-line limit is Helidon's own
 * {@code server.protocols.http_1_1.max-prologue-length}, the body limit its {@code server.max-payload-size}.
 *
 * <pre>
 * limits:
 *   max-header-bytes: 16384   # header section above this -> 431, closed
 *   header-read-timeout: 10s  # request line + headers not complete this long after their first byte -> 408, closed
 *   body-read-timeout: 20s    # a body gets this long, plus 1 s per body-min-rate bytes received; a pause this long
 *   body-min-rate: 500        #   between two of its bytes ends it too -> 408 (if no answer started), closed
 *   max-connections: 12000    # client connections open at once; beyond it -> 503, closed
 *   drain-max-bytes: 65536    # the unread body of a refused request (401, 404, 429...) is read and dropped up to
 *   drain-timeout: 2s         #   this size and time so the connection can be kept; else the connection is closed
 * access-log:
 *   enabled: true             # one JSON line per request on logger dev.refgateway.gateway.access
 * </pre>
 *
 * @param maxHeaderBytes    header section size (field lines with their CRLFs) above which the gateway answers 431;
 *                          default 16384, 256 to 1 MiB
 * @param headerReadTimeout how long a request's line and header section may take in all, from their first byte
 *                          (from the accept, for a connection's first request); default 10 s, at least 100 ms. Not a
 *                          per-read timeout: a client trickling a byte a second is cut off too.
 * @param bodyReadTimeout   the base of a request body's deadline, and the longest pause between two of its bytes;
 *                          default 20 s, at least 100 ms
 * @param bodyMinRate       bytes per second a body must average beyond the base: each this many bytes received add
 *                          one second to its deadline (Apache's {@code mod_reqtimeout} MinRate); default 500, 1 to
 *                          1 GiB
 * @param maxConnections    client connections open at once on the public port; default 12000 (room for 10,000 idle
 *                          keep-alive clients and busy ones besides), 1 to 1,000,000
 * @param drainMaxBytes     how much of a refused request's unread body is read and dropped to keep its connection;
 *                          default 64 KiB, 0 to 16 MiB (0: close every such connection)
 * @param drainTimeout      how long that may take; default 2 s, at least 1 ms
 * @param accessLogEnabled  whether the access log is written; default true
 */
public record EdgeSettings(int maxHeaderBytes,
                           Duration headerReadTimeout,
                           Duration bodyReadTimeout,
                           int bodyMinRate,
                           int maxConnections,
                           int drainMaxBytes,
                           Duration drainTimeout,
                           boolean accessLogEnabled) {

    /** Default of {@link #maxHeaderBytes()}. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 16384;
    /**
     * Default of {@link #headerReadTimeout()}. A client sends its request head in one go, usually in one packet: even
     * a slow mobile link needs well under a second. 10 s leaves room for a congested link and frees a connection
     * held open by a Slowloris client six times sooner than nginx's default (client_header_timeout 60 s); HAProxy's
     * documentation suggests about the same for "timeout http-request".
     */
    public static final Duration DEFAULT_HEADER_READ_TIMEOUT = Duration.ofSeconds(10);
    /** Default of {@link #bodyReadTimeout()}: Apache's {@code mod_reqtimeout} default ({@code body=20}). */
    public static final Duration DEFAULT_BODY_READ_TIMEOUT = Duration.ofSeconds(20);
    /** Default of {@link #bodyMinRate()}: Apache's {@code mod_reqtimeout} default ({@code MinRate=500}). */
    public static final int DEFAULT_BODY_MIN_RATE = 500;
    /** Default of {@link #maxConnections()}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 12_000;
    /** Default of {@link #drainMaxBytes()}. */
    public static final int DEFAULT_DRAIN_MAX_BYTES = 64 * 1024;
    /** Default of {@link #drainTimeout()}. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(2);

    private static final Set<String> LIMIT_KEYS = Set.of("max-header-bytes", "header-read-timeout",
            "body-read-timeout", "body-min-rate", "max-connections", "drain-max-bytes", "drain-timeout");
    private static final Set<String> ACCESS_LOG_KEYS = Set.of("enabled");
    private static final int MAX_DRAIN = 16 * 1024 * 1024;

    public EdgeSettings {
        Check.range("maxHeaderBytes", maxHeaderBytes, 256, 1024 * 1024);
        Check.positive("headerReadTimeout", headerReadTimeout);
        Check.positive("bodyReadTimeout", bodyReadTimeout);
        Check.range("bodyMinRate", bodyMinRate, 1, 1 << 30);
        Check.range("maxConnections", maxConnections, 1, 1_000_000);
        Check.range("drainMaxBytes", drainMaxBytes, 0, MAX_DRAIN);
        Check.positive("drainTimeout", drainTimeout);
    }

    /** Every default. */
    public static EdgeSettings defaults() {
        return new EdgeSettings(DEFAULT_MAX_HEADER_BYTES, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_BODY_READ_TIMEOUT,
                                DEFAULT_BODY_MIN_RATE, DEFAULT_MAX_CONNECTIONS, DEFAULT_DRAIN_MAX_BYTES,
                                DEFAULT_DRAIN_TIMEOUT, true);
    }

    /** These settings with another connection cap (for the admin socket). */
    public EdgeSettings withMaxConnections(int max) {
        return new EdgeSettings(maxHeaderBytes, headerReadTimeout, bodyReadTimeout, bodyMinRate, max, drainMaxBytes,
                                drainTimeout, accessLogEnabled);
    }

    /** Reads {@code limits} and {@code access-log} under the {@code gateway} node; every key is optional. */
    public static EdgeSettings create(Config gateway) {
        ConfigNode node = ConfigNode.of(gateway);
        ConfigNode limits = node.get("limits");
        limits.allowOnly(LIMIT_KEYS);
        ConfigNode accessLog = node.get("access-log");
        accessLog.allowOnly(ACCESS_LOG_KEYS);
        return new EdgeSettings(limits.get("max-header-bytes").intIn(DEFAULT_MAX_HEADER_BYTES, 256, 1024 * 1024),
                                limits.get("header-read-timeout").duration(DEFAULT_HEADER_READ_TIMEOUT,
                                                                           Duration.ofMillis(100)),
                                limits.get("body-read-timeout").duration(DEFAULT_BODY_READ_TIMEOUT,
                                                                         Duration.ofMillis(100)),
                                limits.get("body-min-rate").intIn(DEFAULT_BODY_MIN_RATE, 1, 1 << 30),
                                limits.get("max-connections").intIn(DEFAULT_MAX_CONNECTIONS, 1, 1_000_000),
                                limits.get("drain-max-bytes").intIn(DEFAULT_DRAIN_MAX_BYTES, 0, MAX_DRAIN),
                                limits.get("drain-timeout").duration(DEFAULT_DRAIN_TIMEOUT, Duration.ofMillis(1)),
                                accessLog.get("enabled").bool(true));
    }
}
