package dev.refgateway.gateway.cors;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;
import dev.refgateway.gateway.http1.StandardMethods;
import dev.refgateway.gateway.http1.Syntax;

/**
 * Which cross-origin requests a route accepts from browsers (CORS), with the keys of Helidon CORS and Spring Cloud
 * Gateway's {@code globalcors}.
 *
 * <pre>
 * cors:
 *   allow-origins: [https://app.example.com]   # required: exact origins, or ["*"] (only without credentials)
 *   allow-methods: [GET, HEAD, POST, PUT]      # default [GET, HEAD, POST]; ["*"]: any
 *   allow-headers: [content-type, x-api-key]   # default ["*"]: whatever the preflight asks for
 *   expose-headers: [X-Request-Id]             # response headers page scripts may read; default none
 *   allow-credentials: true                    # cookies and Authorization allowed; default false
 *   max-age: 1h                                # how long browsers may cache a preflight answer; default 1h
 * </pre>
 * {@code "*"} stands alone in a list. With {@code allow-credentials: true} browsers take {@code "*"} literally in
 * {@code Access-Control-Allow-Origin} and {@code Access-Control-Expose-Headers}, so the gateway refuses to start with
 * that combination instead of shipping a policy no browser honours.
 *
 * @param allowOrigins     see {@link #ALLOW_ORIGINS}: serialized origins ({@code scheme://host[:port]}, lower case,
 *                         default port omitted, as browsers send them), or only {@value #ANY}
 * @param allowMethods     see {@link #ALLOW_METHODS}
 * @param allowHeaders     see {@link #ALLOW_HEADERS}: lower-case names
 * @param exposeHeaders    see {@link #EXPOSE_HEADERS}
 * @param allowCredentials see {@link #ALLOW_CREDENTIALS}
 * @param maxAge           see {@link #MAX_AGE}
 */
public record CorsRules(Set<String> allowOrigins,
                        Set<String> allowMethods,
                        Set<String> allowHeaders,
                        List<String> exposeHeaders,
                        boolean allowCredentials,
                        Duration maxAge) {

    /** Any origin, method or header. */
    public static final String ANY = "*";

    static final String ORIGIN_EXPECTATION = "an origin such as https://app.example.com (scheme://host[:port], no "
            + "path), or \"*\"";
    private static final String ORIGINS_EXPECTATION = "a list of origins such as [https://app.example.com], or "
            + "[\"*\"]";

    public static final Option.Flag ENABLED = Option.flag(
            "enabled", true, "false turns CORS off (for a route: whatever the default says).");
    public static final Option.Items<String> ALLOW_ORIGINS = Option.list(
            "allow-origins", List.of(), CorsRules::parseOrigin, ORIGIN_EXPECTATION,
            "Exact origins whose pages may read answers, or [\"*\"] (only without credentials).")
            .required(ORIGINS_EXPECTATION);
    public static final Option.Items<String> ALLOW_METHODS = Option.list(
            "allow-methods", List.of("GET", "HEAD", "POST"), CorsRules::parseMethod,
            "one of " + String.join(", ", StandardMethods.ALL) + ", or \"*\"",
            "Methods a preflight may ask for; by default the ones browsers send without a preflight anyway.");
    public static final Option.Items<String> ALLOW_HEADERS = Option.list(
            "allow-headers", List.of(ANY), CorsRules::parseRequestHeaderName,
            "a header name, or \"*\"", "Request headers a preflight may ask for; [\"*\"]: whatever it asks for.");
    public static final Option.Items<String> EXPOSE_HEADERS = Option.list(
            "expose-headers", List.of(), CorsRules::parseHeaderName, "a header name, or \"*\"",
            "Response headers page scripts may read.");
    public static final Option.Flag ALLOW_CREDENTIALS = Option.flag(
            "allow-credentials", false, "Whether requests with cookies or Authorization may be read by the page.");
    public static final Option.Time MAX_AGE = Option.duration(
            "max-age", Duration.ofHours(1), Duration.ZERO,
            "How long browsers may cache a preflight answer (Access-Control-Max-Age); 0: not at all.");
    public static final Options OPTIONS = Options.of(
            "gateway.cors", "CORS rules of routes without their own; a route's cors section replaces them as a "
                    + "whole.", ENABLED, ALLOW_ORIGINS, ALLOW_METHODS, ALLOW_HEADERS, EXPOSE_HEADERS, ALLOW_CREDENTIALS,
            MAX_AGE);

    public CorsRules {
        allowOrigins = Set.copyOf(alone(ALLOW_ORIGINS, allowOrigins));
        allowMethods = Set.copyOf(alone(ALLOW_METHODS, allowMethods));
        allowHeaders = Set.copyOf(alone(ALLOW_HEADERS, allowHeaders));
        exposeHeaders = List.copyOf(alone(EXPOSE_HEADERS, exposeHeaders));
        MAX_AGE.check(maxAge);
        if (allowOrigins.isEmpty()) {
            throw Options.violation(ALLOW_ORIGINS, "[]", ORIGINS_EXPECTATION);
        }
        for (String origin : allowOrigins) {
            if (!origin.equals(ANY) && !origin.equals(normalizeOrigin(origin))) {
                throw Options.violation(ALLOW_ORIGINS, ConfigNode.quote(origin), ORIGIN_EXPECTATION
                        + ", lower case, without a default port");
            }
        }
        // Browsers take "*" literally in Access-Control-Allow-Origin and -Expose-Headers of a request with
        // credentials: refuse to start rather than ship a policy no browser honours.
        if (allowCredentials && allowOrigins.contains(ANY)) {
            throw Options.violation(ALLOW_ORIGINS, ConfigNode.quote(ANY), "exact origins when %s is true; browsers refuse a wildcard "
                    + "origin with credentials", ALLOW_CREDENTIALS);
        }
        if (allowCredentials && exposeHeaders.contains(ANY)) {
            throw Options.violation(EXPOSE_HEADERS, ConfigNode.quote(ANY), "header names when %s is true; browsers read \"*\" "
                    + "literally then", ALLOW_CREDENTIALS);
        }
    }

    /** Reads a {@code cors} section: {@code {enabled: false}} is no CORS, any other map a policy. */
    static Optional<CorsRules> read(ConfigNode node) {
        if (!node.exists()) {
            return Optional.empty();
        }
        OPTIONS.checkKeys(node);
        if (!ENABLED.read(node)) {
            return Optional.empty();
        }
        return Optional.of(Options.build(OPTIONS.readShared(node), values -> new CorsRules(
                new LinkedHashSet<>(values.get(ALLOW_ORIGINS)), new LinkedHashSet<>(values.get(ALLOW_METHODS)),
                new LinkedHashSet<>(values.get(ALLOW_HEADERS)), values.get(EXPOSE_HEADERS),
                values.get(ALLOW_CREDENTIALS), values.get(MAX_AGE))));
    }

    /** {@code origins} allowed, with the defaults for everything else. */
    public static CorsRules allowing(String... origins) {
        return new CorsRules(Set.of(origins), Set.copyOf(ALLOW_METHODS.defaultValue()),
                             Set.copyOf(ALLOW_HEADERS.defaultValue()), EXPOSE_HEADERS.defaultValue(),
                             ALLOW_CREDENTIALS.defaultValue(), MAX_AGE.defaultValue());
    }

    private static String parseOrigin(String text) {
        if (text.equals(ANY)) {
            return ANY;
        }
        String origin = normalizeOrigin(text);
        if (origin == null) {
            String hint = text.equals("null")
                    ? "; \"null\" is what sandboxed frames and file:// pages send, anyone can send it"
                    : text.endsWith("/") ? "; no trailing slash" : "";
            throw new IllegalArgumentException(ORIGIN_EXPECTATION + hint);
        }
        return origin;
    }

    private static String parseMethod(String text) {
        String name = text.toUpperCase(Locale.ROOT);
        return name.equals(ANY) || StandardMethods.ALL.contains(name) ? name : null;
    }

    private static String parseHeaderName(String text) {
        return text.equals(ANY) || Syntax.isToken(text) ? text : null;
    }

    // lower case: preflights list them so (Access-Control-Request-Headers), and they are compared as listed
    private static String parseRequestHeaderName(String text) {
        String name = parseHeaderName(text);
        return name == null ? null : name.toLowerCase(Locale.ROOT);
    }

    /**
     * An origin as browsers serialize it: scheme and host in lower case, the scheme's default port left out. Returns
     * null when {@code text} is not an origin ({@code "null"}, a path or a trailing slash, user info, a wildcard).
     */
    static String normalizeOrigin(String text) {
        String origin = text.trim().toLowerCase(Locale.ROOT);
        int schemeEnd = origin.indexOf("://");
        if (schemeEnd <= 0 || !isScheme(origin, schemeEnd)) {
            return null;
        }
        String scheme = origin.substring(0, schemeEnd);
        String authority = origin.substring(schemeEnd + 3);
        int colon = authority.lastIndexOf(':');
        // an IPv6 literal [::1] has colons of its own; its port colon comes after the ']'
        if (colon >= 0 && authority.indexOf(']') > colon) {
            colon = -1;
        }
        String host = colon < 0 ? authority : authority.substring(0, colon);
        if (!isHost(host)) {
            return null;
        }
        if (colon < 0) {
            return origin;
        }
        String port = authority.substring(colon + 1);
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            return null;
        }
        boolean defaultPort = (scheme.equals("https") && port.equals("443")) || (scheme.equals("http")
                && port.equals("80"));
        return defaultPort ? scheme + "://" + host : scheme + "://" + host + ":" + Integer.parseInt(port);
    }

    private static boolean isScheme(String text, int end) {
        if (text.charAt(0) < 'a' || text.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < end; i++) {
            char c = text.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    // Letters, digits, '-', '.', or an IPv6 literal in brackets: no path, query, user info or wildcard.
    private static boolean isHost(String host) {
        if (host.isEmpty()) {
            return false;
        }
        if (host.charAt(0) == '[') {
            return host.length() > 2 && host.charAt(host.length() - 1) == ']'
                    && host.substring(1, host.length() - 1).chars().allMatch(c -> Character.digit(c, 16) >= 0
                    || c == ':' || c == '.');
        }
        return host.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.');
    }

    // "*" stands alone in a list
    private static <C extends Collection<String>> C alone(Option<?> option, C values) {
        if (values.size() > 1 && values.contains(ANY)) {
            throw Options.violation(option, values.toString(), "\"*\" alone, or a list without \"*\"");
        }
        return values;
    }
}
