package dev.refgateway.gateway.routing;

import java.util.Locale;
import java.util.Objects;

/**
 * Matches the host a request was sent to ({@code Host} header or HTTP/2 {@code :authority}).
 *
 * <ul>
 *   <li>{@code api.example.com}: exactly that host, case-insensitive.</li>
 *   <li>{@code *.example.com}: any host that ends with {@code .example.com} and has at least one label in front
 *       ({@code a.example.com}, {@code a.b.example.com}); not {@code example.com} itself.</li>
 *   <li>{@code [::1]}: an IPv6 literal, exactly.</li>
 * </ul>
 * The request's port is ignored, and so is a trailing dot ({@code example.com.}). Patterns carry no port.
 */
public final class HostMatcher {

    private final String pattern;
    // ".example.com" for "*.example.com"; null for an exact host
    private final String suffix;

    private HostMatcher(String pattern, String suffix) {
        this.pattern = pattern;
        this.suffix = suffix;
    }

    /**
     * Parses a host pattern.
     *
     * @throws IllegalArgumentException when malformed; the message has the form {@code "value" (expected: ...)}
     */
    public static HostMatcher parse(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        String host = pattern.endsWith(".") ? pattern.substring(0, pattern.length() - 1) : pattern;
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            if (!isIpv6Literal(host)) {
                throw invalid(pattern, "an IPv6 literal such as [::1]");
            }
            return new HostMatcher(host, null);
        }
        boolean wildcard = host.startsWith("*.");
        String name = wildcard ? host.substring(2) : host;
        if (!isHostName(name)) {
            throw invalid(pattern, "a host name without port, optionally starting with '*.'");
        }
        return new HostMatcher(host, wildcard ? host.substring(1) : null);
    }

    /** Whether the request's host (may carry a port; may be null) matches. */
    public boolean matches(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        int end = hostEnd(host);
        if (suffix == null) {
            return end == pattern.length() && host.regionMatches(true, 0, pattern, 0, end);
        }
        int suffixLength = suffix.length();
        return end > suffixLength && host.regionMatches(true, end - suffixLength, suffix, 0, suffixLength);
    }

    /** The pattern, lower-cased. */
    public String pattern() {
        return pattern;
    }

    /** Whether this is a {@code *.} suffix pattern. */
    public boolean isWildcard() {
        return suffix != null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HostMatcher that && pattern.equals(that.pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }

    // End of the host name: before ":port" and before a trailing dot. "[v6]:port" keeps its brackets.
    private static int hostEnd(String host) {
        if (host.charAt(0) == '[') {
            int close = host.indexOf(']');
            return close < 0 ? host.length() : close + 1;
        }
        int colon = host.indexOf(':');
        int end = colon < 0 ? host.length() : colon;
        return end > 0 && host.charAt(end - 1) == '.' ? end - 1 : end;
    }

    private static boolean isHostName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        int labelLength = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (labelLength == 0) {
                    return false;
                }
                labelLength = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                labelLength++;
            } else {
                return false;
            }
        }
        return labelLength > 0;
    }

    private static boolean isIpv6Literal(String host) {
        if (host.length() < 4 || !host.endsWith("]")) {
            return false;
        }
        for (int i = 1; i < host.length() - 1; i++) {
            char c = host.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException invalid(String pattern, String expected) {
        return new IllegalArgumentException("\"" + pattern + "\" (expected: " + expected + ")");
    }
}
