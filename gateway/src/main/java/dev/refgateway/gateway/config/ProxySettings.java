package dev.refgateway.gateway.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.refgateway.gateway.relay.headers.TrustedProxies;
import dev.refgateway.gateway.relay.headers.UntrustedHeaders;

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
 *   idle-timeout: 30s               # an idle upstream connection older than this is closed, never used
 *   via: true                       # add "Via: 1.1 refgateway" to requests and answers (RFC 9110 §7.6.3)
 *   attempts-header: false          # tell clients which instances were tried (Gateway-Attempts)
 *   untrusted-headers: [X-Real-IP, True-Client-IP, X-Original-URL, X-Rewrite-URL, X-HTTP-Method-Override, ...]
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
 * @param idleTimeout           idle keep-alive connections to instances older than this are closed; default 30 s
 *                              (below the keep-alive timeouts of common servers: nginx 75 s, Helidon 5 min)
 * @param via                   whether requests and answers carry the gateway's {@code Via}; default true
 * @param attemptsHeader        whether answers carry {@code Gateway-Attempts} (instances tried and how each
 *                              answered): a teaching aid and a debugging one, but it tells any client the
 *                              instances' ids; default false
 * @param untrustedHeaders      client headers never forwarded (their underscore aliases neither); default
 *                              {@link UntrustedHeaders#DEFAULT_DENY_LIST}
 */
public record ProxySettings(List<String> trustedProxies,
                            int maxReplayBodyBytes,
                            Duration connectTimeout,
                            int connectionsPerInstance,
                            int panicThresholdPercent,
                            Duration retryAfter,
                            Duration idleTimeout,
                            boolean via,
                            boolean attemptsHeader,
                            List<String> untrustedHeaders) {

    /** Buffering more than this per request would let a few clients take the gateway's memory. */
    public static final int MAX_REPLAY_BODY_LIMIT = 16 * 1024 * 1024;

    private static final Set<String> KEYS = Set.of("trusted-proxies", "max-replay-body-bytes", "connect-timeout",
            "connections-per-instance", "panic-threshold-percent", "retry-after", "idle-timeout", "via",
            "attempts-header", "untrusted-headers");
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
        Check.positive("idleTimeout", idleTimeout);
        untrustedHeaders = List.copyOf(untrustedHeaders);
        for (String name : untrustedHeaders) {
            if (!Check.isToken(name)) {
                throw new IllegalArgumentException("untrustedHeaders: \"" + name + "\" (expected: a header name)");
            }
        }
    }

    /** Settings with the defaults of the newer keys: 30 s idle timeout, Via on, no attempts header. */
    public ProxySettings(List<String> trustedProxies, int maxReplayBodyBytes, Duration connectTimeout,
                         int connectionsPerInstance, int panicThresholdPercent, Duration retryAfter) {
        this(trustedProxies, maxReplayBodyBytes, connectTimeout, connectionsPerInstance, panicThresholdPercent,
             retryAfter, Duration.ofSeconds(30), true, false, UntrustedHeaders.DEFAULT_DENY_LIST);
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
                node.get("retry-after").duration(DEFAULTS.retryAfter, Duration.ZERO),
                node.get("idle-timeout").duration(DEFAULTS.idleTimeout, Duration.ofMillis(100)),
                node.get("via").bool(DEFAULTS.via),
                node.get("attempts-header").bool(DEFAULTS.attemptsHeader),
                headerNames(node.get("untrusted-headers"), DEFAULTS.untrustedHeaders));
    }

    private static List<String> headerNames(ConfigNode node, List<String> fallback) {
        if (!node.exists()) {
            return fallback;
        }
        List<String> names = new ArrayList<>();
        for (ConfigNode.Value value : node.strings()) {
            if (!Check.isToken(value.text())) {
                throw value.invalid("a header name");
            }
            names.add(value.text());
        }
        return names;
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
