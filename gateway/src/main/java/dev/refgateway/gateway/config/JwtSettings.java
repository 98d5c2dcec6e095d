package dev.refgateway.gateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;

/**
 * How the gateway checks JSON Web Tokens: whose tokens it accepts and where the verification keys come from.
 *
 * <pre>
 * jwt:
 *   issuer: https://id.example.com      # required: the iss every token must carry
 *   audiences: [refgateway]             # optional: the aud must contain one of these; default: not checked
 *   algorithms: [RS256, ES256]          # accepted signature algorithms (asymmetric only)
 *   clock-skew: 30s                     # tolerance on exp and nbf; 0 to 5m
 *   # exactly one key source:
 *   jwks-url: https://id.example.com/.well-known/jwks.json
 *   jwks-timeout: 2s                    # connect and read timeout of one fetch
 *   jwks-cache-ttl: 5m                  # keys are re-fetched after this (in the background shortly before)
 *   jwks-min-refresh-interval: 30s      # an unknown kid triggers a re-fetch at most about once per interval
 *   public-key: |                       # ... or one static key: PEM PUBLIC KEY / CERTIFICATE or a JWK as JSON
 *     -----BEGIN PUBLIC KEY-----
 *   allow-hs256-for-development: true   # ... or, for local development only, HS256 with a shared secret
 *   hs256-secret: at-least-32-bytes-of-secret...
 * </pre>
 *
 * @param issuer     the {@code iss} claim every token must carry, compared exactly
 * @param audiences  the {@code aud} claim must contain at least one of these; empty: {@code aud} is not checked
 * @param keys       where verification keys come from
 * @param algorithms signature algorithms accepted with {@link Jwks} and {@link StaticKey} keys (asymmetric only);
 *                   default RS256 and ES256; {@link DevelopmentSecret} accepts HS256 only
 * @param clockSkew  how far {@code exp} and {@code nbf} may be off the gateway's clock; default 30 s, at most 5 min
 */
public record JwtSettings(String issuer,
                          Set<String> audiences,
                          Keys keys,
                          Set<String> algorithms,
                          Duration clockSkew) {

    /** Default of {@link #clockSkew()}. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    /** More skew than this would make expiry meaningless. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /** Default of {@link #algorithms()}. */
    public static final Set<String> DEFAULT_ALGORITHMS = ordered(List.of("RS256", "ES256"));
    /** The algorithms that may be configured: public-key signatures only, never HMAC or {@code none}. */
    public static final Set<String> ASYMMETRIC_ALGORITHMS = ordered(List.of(
            "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"));

    private static final Set<String> KEYS = Set.of("issuer", "audiences", "algorithms", "clock-skew", "jwks-url",
            "jwks-timeout", "jwks-cache-ttl", "jwks-min-refresh-interval", "public-key", "allow-hs256-for-development",
            "hs256-secret");
    private static final List<String> JWKS_OPTIONS =
            List.of("jwks-timeout", "jwks-cache-ttl", "jwks-min-refresh-interval");

    public JwtSettings {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audiences, "audiences");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(algorithms, "algorithms");
        if (issuer.isBlank()) {
            throw new IllegalArgumentException("issuer: \"" + issuer + "\" (expected: not blank)");
        }
        audiences = ordered(audiences);
        algorithms = ordered(algorithms);
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("algorithms: [] (expected: at least one of " + ASYMMETRIC_ALGORITHMS
                    + ")");
        }
        for (String algorithm : algorithms) {
            if (!ASYMMETRIC_ALGORITHMS.contains(algorithm)) {
                throw new IllegalArgumentException("algorithms: \"" + algorithm + "\" (expected: one of "
                        + ASYMMETRIC_ALGORITHMS + ")");
            }
        }
        Check.notNegative("clockSkew", clockSkew);
        if (clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("clockSkew: " + clockSkew + " (expected: <= " + MAX_CLOCK_SKEW + ")");
        }
        if (keys instanceof StaticKey key && !algorithms.contains(key.algorithm())) {
            throw new IllegalArgumentException("keys: a key for " + key.algorithm() + " (expected: one of algorithms "
                    + algorithms + ")");
        }
    }

    /** Tokens of {@code issuer} verified with keys from {@code jwksUrl}; every other option at its default. */
    public static JwtSettings jwks(String issuer, URI jwksUrl) {
        return new JwtSettings(issuer, Set.of(), Jwks.of(jwksUrl), DEFAULT_ALGORITHMS, DEFAULT_CLOCK_SKEW);
    }

    /** The algorithms a token may be signed with, given the key source. */
    public Set<String> acceptedAlgorithms() {
        return switch (keys) {
            case Jwks jwks -> algorithms;
            case StaticKey key -> Set.of(key.algorithm());
            case DevelopmentSecret secret -> Set.of("HS256");
        };
    }

    /** Where verification keys come from. */
    public sealed interface Keys permits Jwks, StaticKey, DevelopmentSecret {
    }

    /**
     * Keys fetched from a JWKS endpoint, cached, and re-fetched when a token names a key id not in the cache (key
     * rotation), at most about once per {@code minRefreshInterval}.
     *
     * @param url                the JWKS document, {@code http} or {@code https}
     * @param timeout            connect and read timeout of one fetch; default 2 s, at most 10 s
     * @param cacheTtl           how long fetched keys are used before they are fetched again; default 5 min, at
     *                           least 1 min
     * @param minRefreshInterval fetches triggered by unknown key ids are rate limited to about one per interval, so
     *                           tokens with made-up key ids cannot hammer the endpoint; default 30 s, at least 1 s
     *                           and less than {@code cacheTtl}
     */
    public record Jwks(URI url, Duration timeout, Duration cacheTtl, Duration minRefreshInterval) implements Keys {

        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
        public static final Duration MAX_TIMEOUT = Duration.ofSeconds(10);
        public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);
        public static final Duration MIN_CACHE_TTL = Duration.ofMinutes(1);
        public static final Duration DEFAULT_MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);
        public static final Duration MIN_MIN_REFRESH_INTERVAL = Duration.ofSeconds(1);

        public Jwks {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                throw new IllegalArgumentException("url: \"" + url + "\" (expected: an http or https URL)");
            }
            Check.positive("timeout", timeout);
            if (timeout.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException("timeout: " + timeout + " (expected: <= " + MAX_TIMEOUT + ")");
            }
            if (cacheTtl == null || cacheTtl.compareTo(MIN_CACHE_TTL) < 0) {
                throw new IllegalArgumentException("cacheTtl: " + cacheTtl + " (expected: >= " + MIN_CACHE_TTL + ")");
            }
            if (minRefreshInterval == null || minRefreshInterval.compareTo(MIN_MIN_REFRESH_INTERVAL) < 0
                    || minRefreshInterval.compareTo(cacheTtl) >= 0) {
                throw new IllegalArgumentException("minRefreshInterval: " + minRefreshInterval + " (expected: >= "
                        + MIN_MIN_REFRESH_INTERVAL + " and < cacheTtl " + cacheTtl + ")");
            }
        }

        /** {@code url} with the default timeout, cache TTL and refresh interval. */
        public static Jwks of(URI url) {
            return new Jwks(url, DEFAULT_TIMEOUT, DEFAULT_CACHE_TTL, DEFAULT_MIN_REFRESH_INTERVAL);
        }
    }

    /**
     * One static public key (no rotation without a restart).
     *
     * @param publicKey the RSA or EC public key
     * @param algorithm the one algorithm tokens must use with it: the JWK's {@code alg} if set, otherwise RS256 for
     *                  RSA and ES256 / ES384 / ES512 for P-256 / P-384 / P-521
     */
    public record StaticKey(JWK publicKey, String algorithm) implements Keys {

        public StaticKey {
            Objects.requireNonNull(publicKey, "publicKey");
            Objects.requireNonNull(algorithm, "algorithm");
            if (publicKey.isPrivate()) {
                throw new IllegalArgumentException("publicKey: (a private key) (expected: a public key)");
            }
            JWSAlgorithm alg = JWSAlgorithm.parse(algorithm);
            boolean fits = publicKey.getKeyType() == KeyType.RSA
                    ? JWSAlgorithm.Family.RSA.contains(alg)
                    : publicKey.getKeyType() == KeyType.EC && alg.equals(algorithmOf(publicKey.toECKey().getCurve()));
            if (!fits) {
                throw new IllegalArgumentException("algorithm: \"" + algorithm + "\" (expected: an algorithm for a "
                        + publicKey.getKeyType() + " key" + curveOf(publicKey) + ")");
            }
        }

        /** The key with the algorithm its type implies (or its {@code alg} parameter names). */
        public static StaticKey of(JWK publicKey) {
            return new StaticKey(publicKey, impliedAlgorithm(publicKey));
        }

        static String impliedAlgorithm(JWK key) {
            if (key.getAlgorithm() != null) {
                return key.getAlgorithm().getName();
            }
            if (key.getKeyType() == KeyType.EC) {
                JWSAlgorithm alg = algorithmOf(key.toECKey().getCurve());
                return alg == null ? "(none)" : alg.getName();
            }
            return "RS256";
        }

        private static JWSAlgorithm algorithmOf(Curve curve) {
            if (Curve.P_256.equals(curve)) {
                return JWSAlgorithm.ES256;
            }
            if (Curve.P_384.equals(curve)) {
                return JWSAlgorithm.ES384;
            }
            return Curve.P_521.equals(curve) ? JWSAlgorithm.ES512 : null;
        }

        private static String curveOf(JWK key) {
            return key.getKeyType() == KeyType.EC ? " on " + key.toECKey().getCurve() : "";
        }

        @Override
        public String toString() {
            return "StaticKey[" + publicKey.getKeyType() + " " + publicKey.size() + " bits"
                    + (publicKey.getKeyID() == null ? "" : ", kid=" + publicKey.getKeyID())
                    + ", algorithm=" + algorithm + "]";
        }
    }

    /**
     * An HS256 shared secret, for local development only: whoever can verify such tokens can also mint them.
     *
     * @param secret at least 32 bytes (UTF-8)
     */
    public record DevelopmentSecret(String secret) implements Keys {

        /** HS256 needs a key at least as long as its hash. */
        public static final int MIN_BYTES = 32;

        public DevelopmentSecret {
            Objects.requireNonNull(secret, "secret");
            int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
            if (bytes < MIN_BYTES) {
                throw new IllegalArgumentException("secret: (redacted, " + bytes + " bytes) (expected: at least "
                        + MIN_BYTES + " bytes)");
            }
        }

        @Override
        public String toString() {
            return "DevelopmentSecret[(redacted)]";
        }
    }

    static Optional<JwtSettings> read(ConfigNode node) {
        if (!node.exists()) {
            return Optional.empty();
        }
        node.allowOnly(KEYS);
        String issuer = node.get("issuer")
                .requiredText("the issuer (iss) that tokens must carry, such as https://id.example.com");
        Set<String> audiences = new LinkedHashSet<>();
        for (ConfigNode.Value value : node.get("audiences").strings()) {
            audiences.add(value.text());
        }
        Set<String> algorithms = algorithms(node.get("algorithms"));
        ConfigNode skewNode = node.get("clock-skew");
        Duration skew = skewNode.duration(DEFAULT_CLOCK_SKEW, Duration.ZERO);
        if (skew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw skewNode.invalid(ConfigNode.quote(skewNode.text().orElse("")),
                                   "<= " + Durations.format(MAX_CLOCK_SKEW));
        }
        Keys keys = keys(node, algorithms);
        if (keys instanceof StaticKey key && !algorithms.contains(key.algorithm())) {
            throw new ConfigException(node.key() + ".public-key: a key for " + key.algorithm()
                    + " (expected: a key for one of algorithms " + algorithms + ")");
        }
        return Optional.of(new JwtSettings(issuer, audiences, keys, algorithms, skew));
    }

    private static Set<String> algorithms(ConfigNode node) {
        if (!node.exists()) {
            return DEFAULT_ALGORITHMS;
        }
        Set<String> algorithms = new LinkedHashSet<>();
        for (ConfigNode.Value value : node.strings()) {
            String name = value.text().toUpperCase(Locale.ROOT);
            if (!ASYMMETRIC_ALGORITHMS.contains(name)) {
                throw value.invalid("one of " + String.join(", ", ASYMMETRIC_ALGORITHMS)
                        + (name.startsWith("HS") ? "; HS256 only through allow-hs256-for-development" : ""));
            }
            algorithms.add(name);
        }
        if (algorithms.isEmpty()) {
            throw node.invalid("[]", "at least one of " + String.join(", ", ASYMMETRIC_ALGORITHMS));
        }
        return algorithms;
    }

    private static Keys keys(ConfigNode node, Set<String> algorithms) {
        ConfigNode url = node.get("jwks-url");
        ConfigNode publicKey = node.get("public-key");
        ConfigNode secret = node.get("hs256-secret");
        ConfigNode allowHs256 = node.get("allow-hs256-for-development");
        boolean development = allowHs256.bool(false);
        List<String> given = new ArrayList<>();
        for (ConfigNode source : List.of(url, publicKey, secret)) {
            if (source.exists()) {
                given.add(source.name());
            }
        }
        if (given.size() != 1) {
            throw new ConfigException(node.key() + ": " + (given.isEmpty() ? "no key source" : "both " + given)
                    + " (expected: exactly one of jwks-url, public-key or hs256-secret)");
        }
        if (!url.exists()) {
            for (String option : JWKS_OPTIONS) {
                if (node.get(option).exists()) {
                    throw new ConfigException(node.key() + "." + option + ": set without jwks-url (expected: only "
                            + "together with jwks-url)");
                }
            }
        }
        if (development && !secret.exists()) {
            throw allowHs256.invalid("true", "false unless hs256-secret is set");
        }
        if (url.exists()) {
            return jwks(node, url);
        }
        if (publicKey.exists()) {
            return staticKey(publicKey);
        }
        if (!development) {
            throw secret.invalid("(redacted)", "only together with allow-hs256-for-development: true; HS256 is for "
                    + "local development");
        }
        String text = secret.text().orElse("");
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < DevelopmentSecret.MIN_BYTES) {
            throw secret.invalid("(redacted, " + bytes + " bytes)", "at least " + DevelopmentSecret.MIN_BYTES
                    + " bytes");
        }
        return new DevelopmentSecret(text);
    }

    private static Jwks jwks(ConfigNode node, ConfigNode urlNode) {
        String text = urlNode.requiredText("an http or https URL of a JWK set");
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw urlNode.invalid(ConfigNode.quote(text), "an http or https URL of a JWK set");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw urlNode.invalid(ConfigNode.quote(text), "an http or https URL of a JWK set");
        }
        ConfigNode timeoutNode = node.get("jwks-timeout");
        Duration timeout = timeoutNode.duration(Jwks.DEFAULT_TIMEOUT, Duration.ofMillis(1));
        if (timeout.compareTo(Jwks.MAX_TIMEOUT) > 0) {
            throw timeoutNode.invalid(ConfigNode.quote(timeoutNode.text().orElse("")),
                                      "<= " + Durations.format(Jwks.MAX_TIMEOUT));
        }
        Duration ttl = node.get("jwks-cache-ttl").duration(Jwks.DEFAULT_CACHE_TTL, Jwks.MIN_CACHE_TTL);
        ConfigNode intervalNode = node.get("jwks-min-refresh-interval");
        Duration interval = intervalNode.duration(Jwks.DEFAULT_MIN_REFRESH_INTERVAL, Jwks.MIN_MIN_REFRESH_INTERVAL);
        if (interval.compareTo(ttl) >= 0) {
            throw intervalNode.exists()
                    ? intervalNode.invalid(ConfigNode.quote(intervalNode.text().orElse("")),
                                           "< jwks-cache-ttl " + Durations.format(ttl))
                    : node.get("jwks-cache-ttl").invalid(ConfigNode.quote(node.get("jwks-cache-ttl").text().orElse("")),
                                                         "> jwks-min-refresh-interval " + Durations.format(interval));
        }
        return new Jwks(url, timeout, ttl, interval);
    }

    private static StaticKey staticKey(ConfigNode node) {
        String text = node.text().orElse("");
        try {
            return StaticKey.of(PublicKeyReader.read(text));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(node.key() + ": " + e.getMessage(), e);
        }
    }

    private static Set<String> ordered(java.util.Collection<String> values) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }
}
