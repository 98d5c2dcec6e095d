package dev.refgateway.gateway.relay;

import java.time.Duration;
import java.util.List;

import dev.refgateway.gateway.config.ConfigException;
import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;
import dev.refgateway.gateway.http1.Syntax;
import dev.refgateway.gateway.relay.headers.TrustedProxies;
import dev.refgateway.gateway.relay.headers.UntrustedHeaders;

/**
 * How the gateway forwards requests, whatever the route: the {@code gateway.proxy} section.
 *
 * @param trustedProxies         see {@link #TRUSTED_PROXIES}
 * @param maxReplayBodyBytes     see {@link #MAX_REPLAY_BODY_BYTES}
 * @param connectTimeout         see {@link #CONNECT_TIMEOUT}
 * @param connectionsPerInstance see {@link #CONNECTIONS_PER_INSTANCE}
 * @param panicThresholdPercent  see {@link #PANIC_THRESHOLD_PERCENT}
 * @param retryAfter             see {@link #RETRY_AFTER}
 * @param idleTimeout            see {@link #IDLE_TIMEOUT}
 * @param via                    see {@link #VIA}
 * @param attemptsHeader         see {@link #ATTEMPTS_HEADER}
 * @param untrustedHeaders       see {@link #UNTRUSTED_HEADERS}
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

    /** Checked as a whole by {@link TrustedProxies}, the same parser the relay uses: what start-up accepts runs. */
    public static final Option.Items<String> TRUSTED_PROXIES = Option.names(
            "trusted-proxies", List.of(), entry -> true, "an IPv4 or IPv6 address, optionally with a /prefix",
            "Peers whose X-Forwarded-* and Forwarded headers are believed; empty: nobody's, client-sent ones are "
                    + "replaced.");
    public static final Option.Int MAX_REPLAY_BODY_BYTES = Option.integer(
            "max-replay-body-bytes", 65536, 0, MAX_REPLAY_BODY_LIMIT,
            "Request bodies up to this size are buffered so that a retry can send them again; larger ones stream "
                    + "through and are never retried.");
    public static final Option.Time CONNECT_TIMEOUT = Option.duration(
            "connect-timeout", Duration.ofSeconds(1), Duration.ofMillis(1), "TCP connect timeout to an instance.");
    public static final Option.Int CONNECTIONS_PER_INSTANCE = Option.integer(
            "connections-per-instance", 64, 1, Integer.MAX_VALUE, "Idle keep-alive connections kept per instance.");
    public static final Option.Int PANIC_THRESHOLD_PERCENT = Option.integer(
            "panic-threshold-percent", 0, 0, 100,
            "Below this share of eligible instances (healthy, not ejected, circuit closed), route to every "
                    + "discovered one; 0: never.");
    public static final Option.Time RETRY_AFTER = Option.duration(
            "retry-after", Duration.ofSeconds(1), Duration.ZERO,
            "The Retry-After of a 503 when no instance is available, in whole seconds.");
    public static final Option.Time IDLE_TIMEOUT = Option.duration(
            "idle-timeout", Duration.ofSeconds(30), Duration.ofMillis(100),
            "An idle upstream connection older than this is closed, never used (below the keep-alive timeouts of "
                    + "common servers: nginx 75 s, Helidon 5 min).");
    public static final Option.Flag VIA = Option.flag(
            "via", true, "Whether requests and answers carry \"Via: 1.1 refgateway\" (RFC 9110 §7.6.3).");
    public static final Option.Flag ATTEMPTS_HEADER = Option.flag(
            "attempts-header", false,
            "Whether answers carry Gateway-Attempts (the instances tried and how each answered): a teaching and "
                    + "debugging aid, but it tells any client the instances' ids.");
    public static final Option.Items<String> UNTRUSTED_HEADERS = Option.names(
            "untrusted-headers", UntrustedHeaders.DEFAULT_DENY_LIST, Syntax::isToken, "a header name",
            "Client headers never forwarded, nor their underscore aliases.");
    public static final Options OPTIONS = Options.of(
            "gateway.proxy", "How requests are forwarded, whatever the route.", TRUSTED_PROXIES,
            MAX_REPLAY_BODY_BYTES, CONNECT_TIMEOUT, CONNECTIONS_PER_INSTANCE, PANIC_THRESHOLD_PERCENT, RETRY_AFTER,
            IDLE_TIMEOUT, VIA, ATTEMPTS_HEADER, UNTRUSTED_HEADERS);

    private static final ProxySettings DEFAULTS = new ProxySettings(
            TRUSTED_PROXIES.defaultValue(), MAX_REPLAY_BODY_BYTES.defaultValue(), CONNECT_TIMEOUT.defaultValue(),
            CONNECTIONS_PER_INSTANCE.defaultValue(), PANIC_THRESHOLD_PERCENT.defaultValue(),
            RETRY_AFTER.defaultValue());

    public ProxySettings {
        trustedProxies = List.copyOf(trustedProxies);
        TrustedProxies.create("trustedProxies", trustedProxies);
        MAX_REPLAY_BODY_BYTES.check(maxReplayBodyBytes);
        CONNECT_TIMEOUT.check(connectTimeout);
        CONNECTIONS_PER_INSTANCE.check(connectionsPerInstance);
        PANIC_THRESHOLD_PERCENT.check(panicThresholdPercent);
        RETRY_AFTER.check(retryAfter);
        IDLE_TIMEOUT.check(idleTimeout);
        untrustedHeaders = UNTRUSTED_HEADERS.check(untrustedHeaders);
    }

    /** Settings with the defaults of the newer keys: 30 s idle timeout, Via on, no attempts header. */
    public ProxySettings(List<String> trustedProxies, int maxReplayBodyBytes, Duration connectTimeout,
                         int connectionsPerInstance, int panicThresholdPercent, Duration retryAfter) {
        this(trustedProxies, maxReplayBodyBytes, connectTimeout, connectionsPerInstance, panicThresholdPercent,
             retryAfter, IDLE_TIMEOUT.defaultValue(), VIA.defaultValue(), ATTEMPTS_HEADER.defaultValue(),
             UNTRUSTED_HEADERS.defaultValue());
    }

    /** Trust nobody's forwarding headers; 64 KiB replay buffer; 1 s connect timeout; 64 idle connections. */
    public static ProxySettings defaults() {
        return DEFAULTS;
    }

    /** Reads a {@code proxy} node; every key is optional. */
    public static ProxySettings read(ConfigNode node) {
        return OPTIONS.build(node, values -> new ProxySettings(
                trustedProxies(values), values.get(MAX_REPLAY_BODY_BYTES), values.get(CONNECT_TIMEOUT),
                values.get(CONNECTIONS_PER_INSTANCE), values.get(PANIC_THRESHOLD_PERCENT), values.get(RETRY_AFTER),
                values.get(IDLE_TIMEOUT), values.get(VIA), values.get(ATTEMPTS_HEADER),
                values.get(UNTRUSTED_HEADERS)));
    }

    private static List<String> trustedProxies(Options.Values values) {
        try {
            return TrustedProxies.create(values.node().get(TRUSTED_PROXIES.key()).key(),
                                         values.get(TRUSTED_PROXIES)).entries();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }
}
