package dev.refgateway.gateway.ratelimit;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Durations;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;

/**
 * Shared rate limiting: every gateway replica keeps its buckets in one Redis, so that a limit holds for the whole
 * fleet rather than per replica.
 *
 * <pre>
 * redis:
 *   url: redis://127.0.0.1:6379     # required; rediss:// for TLS; redis://:PASSWORD@host:6379/0
 *   timeout: 200ms                  # connect and command timeout
 *   on-failure: fail-open           # Redis unreachable: fail-open (local buckets) | fail-closed (503)
 *   key-prefix: "refgateway:rate-limit:"
 * </pre>
 *
 * @param url       see {@link #URL}
 * @param timeout   see {@link #TIMEOUT}
 * @param onFailure see {@link #ON_FAILURE}
 * @param keyPrefix see {@link #KEY_PREFIX}
 */
public record RateLimitRedisSettings(URI url, Duration timeout, OnFailure onFailure, String keyPrefix) {

    /** Read by hand: the URL is parsed once, and shown without its password in every message. */
    public static final Option.Section URL = Option.section(
            "url", "string", "Required. redis://HOST:PORT, rediss:// for TLS; redis://:PASSWORD@HOST:PORT/DB. Never "
                    + "printed with its password.");
    public static final Option.Time TIMEOUT = Option.duration(
            "timeout", Duration.ofMillis(200), Duration.ofMillis(1), Duration.ofSeconds(10),
            "Connect and command timeout: a request waits at most this long for Redis.");
    public static final Option.Choice<OnFailure> ON_FAILURE = Option.choice(
            "on-failure", OnFailure.FAIL_OPEN, OnFailure.class, OnFailure::configName,
            "What requests get while Redis does not answer: fail-open decides by this replica's own buckets, "
                    + "fail-closed answers 503.");
    public static final Option.Text KEY_PREFIX = Option.text(
            "key-prefix", "refgateway:rate-limit:", text -> !text.isEmpty(), "a Redis key prefix",
            "The prefix of every bucket's Redis key.");
    public static final Options OPTIONS = Options.of(
            "gateway.rate-limit.redis", "Buckets shared by every replica, in one Redis.",
            URL, TIMEOUT, ON_FAILURE, KEY_PREFIX);

    private static final String URL_EXPECTATION = "a Redis URL such as redis://127.0.0.1:6379 or "
            + "rediss://:PASSWORD@redis.example.com:6380/0";

    public RateLimitRedisSettings {
        Objects.requireNonNull(url, "url");
        Optional<String> problem = urlProblem(url);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("url: " + redacted(url) + " (expected: " + problem.get() + ")");
        }
        TIMEOUT.check(timeout);
        ON_FAILURE.check(onFailure);
        KEY_PREFIX.check(keyPrefix);
    }

    /** Redis at {@code url}, 200 ms timeout, fail-open, the default key prefix. */
    public static RateLimitRedisSettings of(URI url) {
        return new RateLimitRedisSettings(url, TIMEOUT.defaultValue(), ON_FAILURE.defaultValue(),
                                          KEY_PREFIX.defaultValue());
    }

    /** This with another failure mode. */
    public RateLimitRedisSettings withOnFailure(OnFailure onFailure) {
        return new RateLimitRedisSettings(url, timeout, onFailure, keyPrefix);
    }

    /** The URL without its password: what logs and messages show. */
    public String displayUrl() {
        return redacted(url);
    }

    static Optional<RateLimitRedisSettings> read(ConfigNode node) {
        if (!node.exists()) {
            return Optional.empty();
        }
        Options.Values values = OPTIONS.read(node);
        return Optional.of(new RateLimitRedisSettings(url(values.get(URL)), values.get(TIMEOUT),
                                                      values.get(ON_FAILURE), values.get(KEY_PREFIX)));
    }

    private static URI url(ConfigNode node) {
        String text = node.requiredText(URL_EXPECTATION);
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw node.invalid(ConfigNode.quote(redacted(text)), URL_EXPECTATION);
        }
        Optional<String> problem = urlProblem(url);
        if (problem.isPresent()) {
            throw node.invalid(ConfigNode.quote(redacted(url)), problem.get());
        }
        return url;
    }

    private static Optional<String> urlProblem(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            return Optional.of("scheme redis:// or rediss://");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            return Optional.of("a host, as in redis://127.0.0.1:6379");
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        if (!path.isEmpty() && !path.equals("/") && !isDatabase(path.substring(1))) {
            return Optional.of("no path but a database number, as in redis://127.0.0.1:6379/0");
        }
        return Optional.empty();
    }

    private static boolean isDatabase(String text) {
        if (text.isEmpty() || text.length() > 5) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    // A password in the URL must never reach a log line or an exception message.
    private static String redacted(URI url) {
        return url.getRawUserInfo() == null ? url.toString() : redacted(url.toString());
    }

    private static String redacted(String text) {
        int scheme = text.indexOf("://");
        int at = text.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return text;
        }
        return text.substring(0, scheme + 3) + "(redacted)@" + text.substring(at + 1);
    }

    @Override
    public String toString() {
        return "RateLimitRedisSettings[url=" + displayUrl() + ", timeout=" + Durations.format(timeout)
                + ", onFailure=" + onFailure.configName() + ", keyPrefix=" + keyPrefix + "]";
    }

    /** What requests get while Redis does not answer. */
    public enum OnFailure {
        /**
         * Decided by this replica's own buckets (the same limits, counted per replica): traffic keeps flowing, and a
         * fleet of n replicas lets up to n times the limit through until Redis is back.
         */
        FAIL_OPEN("fail-open"),
        /** 503 {@code rate-limiter-unavailable}: no request passes uncounted. */
        FAIL_CLOSED("fail-closed");

        private final String configName;

        OnFailure(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }
}
