package dev.refgateway.gateway.config;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

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
 * @param allowOrigins     serialized origins ({@code scheme://host[:port]}, lower case, default port omitted, as
 *                         browsers send them), or only {@value #ANY}
 * @param allowMethods     method names, or only {@value #ANY}
 * @param allowHeaders     lower-case request header names, or only {@value #ANY}
 * @param exposeHeaders    response header names as configured, or only {@value #ANY}; may be empty
 * @param allowCredentials whether requests with cookies or {@code Authorization} may be read by the page
 * @param maxAge           {@code Access-Control-Max-Age}; zero: browsers must not cache preflight answers
 */
public record CorsRules(Set<String> allowOrigins,
                        Set<String> allowMethods,
                        Set<String> allowHeaders,
                        List<String> exposeHeaders,
                        boolean allowCredentials,
                        Duration maxAge) {

    /** Any origin, method or header. */
    public static final String ANY = "*";
    /** Default of {@link #allowMethods()}: the methods browsers send without a preflight anyway. */
    public static final Set<String> DEFAULT_ALLOW_METHODS = Set.of("GET", "HEAD", "POST");
    /** Default of {@link #maxAge()}. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(1);

    static final Set<String> KEYS = Set.of("enabled", "allow-origins", "allow-methods", "allow-headers",
                                           "expose-headers", "allow-credentials", "max-age");
    static final String ORIGIN_EXPECTATION = "an origin such as https://app.example.com (scheme://host[:port], no "
            + "path), or \"*\"";

    public CorsRules {
        allowOrigins = Set.copyOf(Objects.requireNonNull(allowOrigins, "allowOrigins"));
        allowMethods = Set.copyOf(Objects.requireNonNull(allowMethods, "allowMethods"));
        allowHeaders = Set.copyOf(Objects.requireNonNull(allowHeaders, "allowHeaders"));
        exposeHeaders = List.copyOf(Objects.requireNonNull(exposeHeaders, "exposeHeaders"));
        Check.notNegative("maxAge", maxAge);
        if (allowOrigins.isEmpty()) {
            throw new IllegalArgumentException("allowOrigins: [] (expected: at least one origin, or \"*\")");
        }
        for (String origin : allowOrigins) {
            if (!origin.equals(ANY) && !origin.equals(normalizeOrigin(origin))) {
                throw new IllegalArgumentException("allowOrigins: \"" + origin + "\" (expected: " + ORIGIN_EXPECTATION
                        + ", lower case, without a default port)");
            }
        }
        aloneIfAny("allowOrigins", allowOrigins);
        aloneIfAny("allowMethods", allowMethods);
        aloneIfAny("allowHeaders", allowHeaders);
        aloneIfAny("exposeHeaders", exposeHeaders);
        if (allowCredentials && allowOrigins.contains(ANY)) {
            throw new IllegalArgumentException("allowOrigins: \"*\" (expected: exact origins when allowCredentials "
                    + "is true)");
        }
        if (allowCredentials && exposeHeaders.contains(ANY)) {
            throw new IllegalArgumentException("exposeHeaders: \"*\" (expected: header names when allowCredentials "
                    + "is true)");
        }
    }

    /** {@code origins} allowed, with the defaults for everything else. */
    public static CorsRules allowing(String... origins) {
        return new CorsRules(Set.of(origins), DEFAULT_ALLOW_METHODS, Set.of(ANY), List.of(), false, DEFAULT_MAX_AGE);
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

    private static void aloneIfAny(String name, Collection<String> values) {
        if (values.size() > 1 && values.contains(ANY)) {
            throw new IllegalArgumentException(name + ": " + values + " (expected: \"*\" alone, or no \"*\")");
        }
    }
}
