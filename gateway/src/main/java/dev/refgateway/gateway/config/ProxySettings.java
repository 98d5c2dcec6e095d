package dev.refgateway.gateway.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.refgateway.gateway.proxy.headers.TrustedProxies;

import io.helidon.config.Config;

/**
 * How the gateway forwards requests, independent of the route.
 *
 * <pre>
 * proxy:
 *   trusted-proxies: [10.0.0.0/8]   # peers whose X-Forwarded-* / Forwarded headers are believed; empty: nobody's
 *   max-replay-body-bytes: 65536    # bodies up to this size are buffered so that a retry can send them again
 *   connect-timeout: 1s
 *   connections-per-instance: 64    # idle keep-alive connections kept per upstream instance
 *   panic-threshold-percent: 0      # below this share of eligible instances, use every discovered one; 0 = off
 *   retry-after: 1s                 # Retry-After of a 503 when no instance is available
 * </pre>
 *
 * @param trustedProxies        addresses or CIDR blocks ({@link TrustedProxies}) of proxies in front of the gateway whose
 *                              forwarding headers are trusted; default empty: client-sent ones are replaced
 * @param maxReplayBodyBytes    request bodies up to this many bytes are buffered and can be retried; larger ones
 *                              stream through and are never retried; default 65536, 0 to 16 MiB
 * @param connectTimeout        TCP connect timeout to an upstream instance; default 1 s
 * @param connectionsPerInstance idle connections kept per instance; default 64, at least 1
 * @param panicThresholdPercent when fewer than this share of the discovered instances are eligible (healthy, not
 *                              ejected, circuit closed), route to all discovered instances instead; 0 to 100,
 *                              default 0 = never
 * @param retryAfter            the {@code Retry-After} of a 503 when no instance is available, in whole seconds;
 *                              default 1 s
 */
public record ProxySettings(List<String> trustedProxies,
                            int maxReplayBodyBytes,
                            Duration connectTimeout,
                            int connectionsPerInstance,
                            int panicThresholdPercent,
                            Duration retryAfter) {

    /** Buffering more than this per request would let a few clients take the gateway's memory. */
    public static final int MAX_REPLAY_BODY_LIMIT = 16 * 1024 * 1024;

    private static final Set<String> KEYS = Set.of("trusted-proxies", "max-replay-body-bytes", "connect-timeout",
            "connections-per-instance", "panic-threshold-percent", "retry-after");
    private static final ProxySettings DEFAULTS =
            new ProxySettings(List.of(), 65536, Duration.ofSeconds(1), 64, 0, Duration.ofSeconds(1));

    public ProxySettings {
        Objects.requireNonNull(trustedProxies, "trustedProxies");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(retryAfter, "retryAfter");
        trustedProxies = List.copyOf(trustedProxies);
        TrustedProxies.create("trustedProxies", trustedProxies);
        Check.range("maxReplayBodyBytes", maxReplayBodyBytes, 0, MAX_REPLAY_BODY_LIMIT);
        Check.positive("connectTimeout", connectTimeout);
        Check.range("connectionsPerInstance", connectionsPerInstance, 1, Integer.MAX_VALUE);
        Check.range("panicThresholdPercent", panicThresholdPercent, 0, 100);
        Check.notNegative("retryAfter", retryAfter);
    }

    /** Trust nobody's forwarding headers; 64 KiB replay buffer; 1 s connect timeout; 64 idle connections. */
    public static ProxySettings defaults() {
        return DEFAULTS;
    }

    /** Reads a {@code proxy} node; every key is optional. */
    public static ProxySettings create(Config proxy) {
        return read(ConfigNode.of(proxy));
    }

    static ProxySettings read(ConfigNode node) {
        node.allowOnly(KEYS);
        return new ProxySettings(
                trustedProxies(node.get("trusted-proxies")),
                node.get("max-replay-body-bytes").intIn(DEFAULTS.maxReplayBodyBytes, 0, MAX_REPLAY_BODY_LIMIT),
                node.get("connect-timeout").duration(DEFAULTS.connectTimeout, Duration.ofMillis(1)),
                node.get("connections-per-instance").intIn(DEFAULTS.connectionsPerInstance, 1, Integer.MAX_VALUE),
                node.get("panic-threshold-percent").intIn(DEFAULTS.panicThresholdPercent, 0, 100),
                node.get("retry-after").duration(DEFAULTS.retryAfter, Duration.ZERO));
    }

    /** Parsed by the same {@link TrustedProxies} the proxy uses, so what start-up accepts is what runs. */
    private static List<String> trustedProxies(ConfigNode node) {
        List<String> proxies = new ArrayList<>();
        for (ConfigNode.Value value : node.strings()) {
            proxies.add(value.text());
        }
        try {
            return TrustedProxies.create(node.key(), proxies).entries();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }
}
