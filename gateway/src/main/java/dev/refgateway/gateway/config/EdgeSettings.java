package dev.refgateway.gateway.config;

import java.time.Duration;
import java.util.Set;

import io.helidon.config.Config;

/**
 * Edge limits and the access log, read from {@code gateway.limits} and {@code gateway.access-log}. The other request
 * limits (request line, body, timeouts) are Helidon's own {@code server.*} options, see application.yaml.
 *
 * <pre>
 * limits:
 *   max-header-bytes: 16384   # header section above this -> 431; Helidon's max-headers-size is the hard cap (-> 400)
 *   header-read-timeout: 10s  # request line + headers not complete this long after their first byte -> 408, closed
 *   body-read-timeout: 20s    # a client whose request body stalls this long is cut off
 * access-log:
 *   enabled: true             # one JSON line per request on logger dev.refgateway.gateway.access
 * </pre>
 *
 * @param maxHeaderBytes    header section size (names, values, ": " and CRLF per field) above which the gateway
 *                          answers 431; default 16384, 256 to 1 MiB
 * @param headerReadTimeout how long a request's request line and header section may take in all, from their first
 *                          byte, before the gateway answers 408 and closes the connection; default 10 s, at least
 *                          100 ms. Not a per-read timeout: a client trickling a byte a second is cut off too.
 * @param bodyReadTimeout   how long one read of a request body may wait for the client before the connection is
 *                          closed (and an upstream request under way abandoned); default 20 s
 * @param accessLogEnabled  whether the access log is written; default true
 */
public record EdgeSettings(int maxHeaderBytes, Duration headerReadTimeout, Duration bodyReadTimeout,
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
    /** Default of {@link #bodyReadTimeout()}. */
    public static final Duration DEFAULT_BODY_READ_TIMEOUT = Duration.ofSeconds(20);

    private static final Set<String> LIMIT_KEYS = Set.of("max-header-bytes", "header-read-timeout",
                                                               "body-read-timeout");
    private static final Set<String> ACCESS_LOG_KEYS = Set.of("enabled");

    public EdgeSettings {
        Check.range("maxHeaderBytes", maxHeaderBytes, 256, 1024 * 1024);
        Check.positive("headerReadTimeout", headerReadTimeout);
        Check.positive("bodyReadTimeout", bodyReadTimeout);
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
                                accessLog.get("enabled").bool(true));
    }
}
