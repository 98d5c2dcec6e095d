package dev.refgateway.gateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 * @param url       where Redis listens: {@code redis://} or {@code rediss://}, optional password and database; never
 *                  printed with its password
 * @param timeout   connect and command timeout; a request waits at most this long for Redis; default 200 ms,
 *                  1 ms to 10 s
 * @param onFailure what requests get while Redis does not answer; default {@link OnFailure#FAIL_OPEN}
 * @param keyPrefix prefix of every bucket's Redis key; default {@code refgateway:rate-limit:}
 */
public record RateLimitRedisSettings(URI url, Duration timeout, OnFailure onFailure, String keyPrefix) {

    /** Default of {@link #timeout()}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(200);
    /** Default of {@link #keyPrefix()}. */
    public static final String DEFAULT_KEY_PREFIX = "refgateway:rate-limit:";

    static final Set<String> KEYS = Set.of("url", "timeout", "on-failure", "key-prefix");
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(10);
    private static final String URL_EXPECTATION = "a Redis URL such as redis://127.0.0.1:6379 or "
            + "rediss://:PASSWORD@redis.example.com:6380/0";

    public RateLimitRedisSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(onFailure, "onFailure");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Optional<String> problem = urlProblem(url);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("url: " + redacted(url) + " (expected: " + problem.get() + ")");
        }
        Check.positive("timeout", timeout);
        if (timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: <= 10s)");
        }
    }

    /** Redis at {@code url}, 200 ms timeout, fail-open, the default key prefix. */
    public static RateLimitRedisSettings of(URI url) {
        return new RateLimitRedisSettings(url, DEFAULT_TIMEOUT, OnFailure.FAIL_OPEN, DEFAULT_KEY_PREFIX);
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
        node.allowOnly(KEYS);
        ConfigNode urlNode = node.get("url");
        String text = urlNode.requiredText(URL_EXPECTATION);
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw urlNode.invalid(ConfigNode.quote(redacted(text)), URL_EXPECTATION);
        }
        Optional<String> problem = urlProblem(url);
        if (problem.isPresent()) {
            throw urlNode.invalid(ConfigNode.quote(redacted(url)), problem.get());
        }
        ConfigNode timeoutNode = node.get("timeout");
        Duration timeout = timeoutNode.duration(DEFAULT_TIMEOUT, Duration.ofMillis(1));
        if (timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw timeoutNode.invalid(ConfigNode.quote(timeoutNode.text().orElseThrow()), "<= 10s");
        }
        ConfigNode failureNode = node.get("on-failure");
        OnFailure onFailure = failureNode.exists() ? onFailure(failureNode) : OnFailure.FAIL_OPEN;
        ConfigNode prefixNode = node.get("key-prefix");
        String keyPrefix = prefixNode.exists() ? prefixNode.requiredText("a Redis key prefix") : DEFAULT_KEY_PREFIX;
        return Optional.of(new RateLimitRedisSettings(url, timeout, onFailure, keyPrefix));
    }

    private static OnFailure onFailure(ConfigNode node) {
        String text = node.requiredText("fail-open or fail-closed");
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "fail-open" -> OnFailure.FAIL_OPEN;
            case "fail-closed" -> OnFailure.FAIL_CLOSED;
            default -> throw node.invalid(ConfigNode.quote(text), "fail-open or fail-closed");
        };
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
