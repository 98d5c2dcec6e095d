package dev.refgateway.gateway.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.refgateway.gateway.config.ConfigException;
import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;

/**
 * How the gateway checks JSON Web Tokens: whose tokens it accepts and where the verification keys come from.
 *
 * Exactly one key source: {@code jwks-url} (with the {@code jwks-*} options), {@code public-key}, or, for local
 * development only, {@code hs256-secret} with {@code allow-hs256-for-development: true}.
 *
 * @param issuer     see {@link #ISSUER}
 * @param audiences  see {@link #AUDIENCES}
 * @param keys       where verification keys come from
 * @param algorithms see {@link #ALGORITHMS}; {@link DevelopmentSecret} accepts HS256 only
 * @param clockSkew  see {@link #CLOCK_SKEW}
 */
public record JwtSettings(String issuer,
                          Set<String> audiences,
                          Keys keys,
                          Set<String> algorithms,
                          Duration clockSkew) {

    /** The algorithms that may be configured: public-key signatures only, never HMAC or {@code none}. */
    public static final Set<String> ASYMMETRIC_ALGORITHMS = ordered(List.of(
            "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"));
    private static final String ALGORITHM_EXPECTATION = "one of " + String.join(", ", ASYMMETRIC_ALGORITHMS);

    public static final Option.Text ISSUER = Option.text(
            "issuer", "", text -> !text.isBlank(), "the issuer (iss) that tokens must carry, such as "
                    + "https://id.example.com", "The iss every token must carry, compared exactly.")
            .required("the issuer (iss) that tokens must carry, such as https://id.example.com");
    public static final Option.Items<String> AUDIENCES = Option.names(
            "audiences", List.of(), text -> true, "an audience",
            "A token's aud must contain one of these; empty: aud is not checked.");
    public static final Option.Items<String> ALGORITHMS = Option.list(
            "algorithms", List.of("RS256", "ES256"), JwtSettings::parseAlgorithm, ALGORITHM_EXPECTATION,
            "Signature algorithms accepted with jwks-url and public-key keys (asymmetric only).");
    public static final Option.Time CLOCK_SKEW = Option.duration(
            "clock-skew", Duration.ofSeconds(30), Duration.ZERO, Duration.ofMinutes(5),
            "How far exp and nbf may be off the gateway's clock.");
    public static final Option.Section JWKS_URL = Option.section(
            "jwks-url", "string", "The JWK set to fetch keys from (http or https); keys are cached and fetched again "
                    + "when a token names an unknown key id (rotation).");
    public static final Option.Time JWKS_TIMEOUT = Option.duration(
            "jwks-timeout", Duration.ofSeconds(2), Duration.ofMillis(1), Duration.ofSeconds(10),
            "Connect and read timeout of one fetch.");
    public static final Option.Time JWKS_CACHE_TTL = Option.duration(
            "jwks-cache-ttl", Duration.ofMinutes(5), Duration.ofMinutes(1),
            "How long fetched keys are used before they are fetched again (in the background shortly before).");
    public static final Option.Time JWKS_MIN_REFRESH_INTERVAL = Option.duration(
            "jwks-min-refresh-interval", Duration.ofSeconds(30), Duration.ofSeconds(1),
            "Fetches for unknown key ids happen at most about once per interval, so that tokens with made-up key ids "
                    + "cannot hammer the endpoint; less than jwks-cache-ttl.");
    public static final Option.Section PUBLIC_KEY = Option.section(
            "public-key", "string", "One static key instead: a PEM PUBLIC KEY or CERTIFICATE, or a JWK as JSON.");
    public static final Option.Flag ALLOW_HS256_FOR_DEVELOPMENT = Option.flag(
            "allow-hs256-for-development", false, "Allows hs256-secret: local development only, since whoever can "
                    + "verify such tokens can also mint them.");
    public static final Option.Section HS256_SECRET = Option.section(
            "hs256-secret", "secret", "The HS256 shared secret, at least 32 bytes; never shown in messages.");
    public static final Options OPTIONS = Options.of(
            "gateway.security.jwt", "Which JSON Web Tokens are accepted, and where their keys come from.", ISSUER,
            AUDIENCES, ALGORITHMS, CLOCK_SKEW, JWKS_URL, JWKS_TIMEOUT, JWKS_CACHE_TTL, JWKS_MIN_REFRESH_INTERVAL,
            PUBLIC_KEY, ALLOW_HS256_FOR_DEVELOPMENT, HS256_SECRET);

    private static final String JWKS_URL_EXPECTATION = "an http or https URL of a JWK set";
    private static final List<Option<?>> JWKS_OPTIONS =
            List.of(JWKS_TIMEOUT, JWKS_CACHE_TTL, JWKS_MIN_REFRESH_INTERVAL);

    public JwtSettings {
        ISSUER.check(issuer);
        audiences = ordered(AUDIENCES.check(List.copyOf(audiences)));
        algorithms = ordered(ALGORITHMS.check(List.copyOf(algorithms)));
        for (String algorithm : algorithms) {
            if (!ASYMMETRIC_ALGORITHMS.contains(algorithm)) {
                throw Options.violation(ALGORITHMS, ConfigNode.quote(algorithm), ALGORITHM_EXPECTATION);
            }
        }
        if (algorithms.isEmpty()) {
            throw Options.violation(ALGORITHMS, "[]", "at least " + ALGORITHM_EXPECTATION);
        }
        CLOCK_SKEW.check(clockSkew);
        Objects.requireNonNull(keys, "keys");
        if (keys instanceof StaticKey key && !algorithms.contains(key.algorithm())) {
            throw Options.violation(PUBLIC_KEY, "a key for " + key.algorithm(), "a key for one of algorithms "
                    + algorithms);
        }
    }

    /** Tokens of {@code issuer} verified with keys from {@code jwksUrl}; every other option at its default. */
    public static JwtSettings jwks(String issuer, URI jwksUrl) {
        return new JwtSettings(issuer, Set.of(), Jwks.of(jwksUrl), new LinkedHashSet<>(ALGORITHMS.defaultValue()),
                               CLOCK_SKEW.defaultValue());
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

        public Jwks {
            Objects.requireNonNull(url, "url");
            if (!isHttp(url)) {
                throw Options.violation(JWKS_URL, ConfigNode.quote(url.toString()), JWKS_URL_EXPECTATION);
            }
            JWKS_TIMEOUT.check(timeout);
            JWKS_CACHE_TTL.check(cacheTtl);
            JWKS_MIN_REFRESH_INTERVAL.check(minRefreshInterval);
            Options.below(JWKS_MIN_REFRESH_INTERVAL, minRefreshInterval, JWKS_CACHE_TTL, cacheTtl);
        }

        /** {@code url} with the default timeout, cache TTL and refresh interval. */
        public static Jwks of(URI url) {
            return new Jwks(url, JWKS_TIMEOUT.defaultValue(), JWKS_CACHE_TTL.defaultValue(),
                            JWKS_MIN_REFRESH_INTERVAL.defaultValue());
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

    /** Reads a {@code jwt} section; empty when there is none. */
    public static Optional<JwtSettings> read(ConfigNode node) {
        if (!node.exists()) {
            return Optional.empty();
        }
        return Optional.of(OPTIONS.build(node, values -> new JwtSettings(
                values.get(ISSUER), new LinkedHashSet<>(values.get(AUDIENCES)), keys(values),
                new LinkedHashSet<>(values.get(ALGORITHMS)), values.get(CLOCK_SKEW))));
    }

    private static String parseAlgorithm(String text) {
        String name = text.toUpperCase(Locale.ROOT);
        if (!ASYMMETRIC_ALGORITHMS.contains(name)) {
            throw new IllegalArgumentException(ALGORITHM_EXPECTATION
                    + (name.startsWith("HS") ? "; HS256 only through allow-hs256-for-development" : ""));
        }
        return name;
    }

    private static Keys keys(Options.Values values) {
        ConfigNode node = values.node();
        ConfigNode url = values.get(JWKS_URL);
        ConfigNode publicKey = values.get(PUBLIC_KEY);
        ConfigNode secret = values.get(HS256_SECRET);
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
            for (Option<?> option : JWKS_OPTIONS) {
                if (values.isSet(option)) {
                    throw new ConfigException(node.key() + "." + option.key() + ": set without jwks-url (expected: "
                            + "only together with jwks-url)");
                }
            }
        }
        boolean development = values.get(ALLOW_HS256_FOR_DEVELOPMENT);
        if (development && !secret.exists()) {
            throw node.get(ALLOW_HS256_FOR_DEVELOPMENT.key()).invalid("true", "false unless hs256-secret is set");
        }
        if (url.exists()) {
            return new Jwks(jwksUrl(url), values.get(JWKS_TIMEOUT), values.get(JWKS_CACHE_TTL),
                            values.get(JWKS_MIN_REFRESH_INTERVAL));
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

    private static URI jwksUrl(ConfigNode node) {
        String text = node.requiredText(JWKS_URL_EXPECTATION);
        try {
            URI url = new URI(text);
            if (isHttp(url)) {
                return url;
            }
        } catch (URISyntaxException e) {
            // refused below, as any other text that is no http URL
        }
        throw node.invalid(ConfigNode.quote(text), JWKS_URL_EXPECTATION);
    }

    private static boolean isHttp(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https")) && url.getHost() != null;
    }

    private static StaticKey staticKey(ConfigNode node) {
        String text = node.text().orElse("");
        try {
            return StaticKey.of(PublicKeyReader.read(text));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(node.key() + ": " + e.getMessage(), e);
        }
    }

    private static Set<String> ordered(Collection<String> values) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }
}
