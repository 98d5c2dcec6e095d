package dev.refgateway.gateway.routing;

import java.util.Comparator;
import java.util.Objects;

import dev.refgateway.gateway.http1.MalformedMessage;
import dev.refgateway.gateway.http1.RequestTarget;

/**
 * A route's path pattern, parsed once at start-up and matched on every request without allocating.
 *
 * <table>
 *   <caption>Pattern forms</caption>
 *   <tr><th>pattern</th><th>matches</th><th>does not match</th></tr>
 *   <tr><td>{@code /users}</td><td>{@code /users}</td><td>{@code /users/}, {@code /users/7}</td></tr>
 *   <tr><td>{@code /users/**}</td><td>{@code /users}, {@code /users/}, {@code /users/7/orders}</td>
 *       <td>{@code /usersx}</td></tr>
 *   <tr><td>{@code /api/*}{@code /items}</td><td>{@code /api/v1/items}</td>
 *       <td>{@code /api//items}, {@code /api/v1/v2/items}</td></tr>
 *   <tr><td>{@code /**}</td><td>every path</td><td></td></tr>
 * </table>
 *
 * <p>{@code *} stands for exactly one non-empty segment; {@code **} for any rest of the path (including none) and
 * may only be the last segment. Both must be whole segments. Segments are compared as given, case-sensitively and
 * without percent-decoding; the path never includes the query string.
 */
public final class PathPattern {

    /** What kind of wildcard a pattern has; it decides the order among patterns with as many literal segments. */
    public enum Kind {
        /** Only literal segments: the path must be equal to the pattern. */
        EXACT,
        /** At least one {@code *} segment, no {@code **}. */
        WILDCARD,
        /** Ends with {@code **}: the pattern matches a path and everything below it. */
        PREFIX
    }

    /**
     * Most specific first: more literal segments; then exact before {@code *}-wildcard before {@code **}-prefix;
     * then longer literal text.
     */
    public static final Comparator<PathPattern> MOST_SPECIFIC_FIRST =
            Comparator.comparingInt(PathPattern::literalSegments).reversed()
                      .thenComparing(PathPattern::kind)
                      .thenComparing(Comparator.comparingInt(PathPattern::literalLength).reversed());

    private static final String ANY_SEGMENT = "*";
    private static final String ANY_REST = "**";

    private final String pattern;
    private final Kind kind;
    // Segments before a trailing "**"; null entries stand for "*". Empty for "/" and "/**".
    private final String[] segments;
    // For PREFIX patterns without "*": the literal text before "/**" ("" for "/**"), checked with startsWith.
    private final String literalPrefix;
    private final int literalSegments;
    private final int literalLength;

    private PathPattern(String pattern, Kind kind, String[] segments, String literalPrefix,
                        int literalSegments, int literalLength) {
        this.pattern = pattern;
        this.kind = kind;
        this.segments = segments;
        this.literalPrefix = literalPrefix;
        this.literalSegments = literalSegments;
        this.literalLength = literalLength;
    }

    /**
     * Parses a pattern.
     *
     * @throws IllegalArgumentException when the pattern is malformed; the message has the form
     *                                  {@code "users/**" (expected: starts with '/')}, so that the config layer
     *                                  can put the full key in front of it
     */
    public static PathPattern parse(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        if (!pattern.startsWith("/")) {
            throw invalid(pattern, "starts with '/'");
        }
        if (pattern.equals("/")) {
            return new PathPattern(pattern, Kind.EXACT, new String[0], null, 0, 0);
        }
        String[] parts = pattern.substring(1).split("/", -1);
        boolean prefix = parts[parts.length - 1].equals(ANY_REST);
        int count = prefix ? parts.length - 1 : parts.length;
        String[] segments = new String[count];
        boolean wildcard = false;
        int literals = 0;
        int literalLength = 0;
        for (int i = 0; i < count; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                throw invalid(pattern, "no empty segments ('//' or a trailing '/')");
            }
            if (part.equals(ANY_REST)) {
                throw invalid(pattern, "'**' only as the last segment");
            }
            if (part.equals(ANY_SEGMENT)) {
                wildcard = true;
                continue;
            }
            if (part.indexOf('*') >= 0) {
                throw invalid(pattern, "'*' and '**' only as whole segments");
            }
            if (part.indexOf('?') >= 0 || part.indexOf('#') >= 0 || containsWhitespace(part)) {
                throw invalid(pattern, "a path without query, fragment or whitespace");
            }
            // Requests are matched on their canonical path: a segment written any other way would never match.
            if (!isCanonical(part)) {
                throw invalid(pattern, "segments in canonical form (unreserved characters not escaped, other "
                        + "escapes in upper case, no '.', '..', ';' or '\\'), like the paths requests are matched on");
            }
            segments[i] = part;
            literals++;
            literalLength += part.length();
        }
        Kind kind = prefix ? Kind.PREFIX : wildcard ? Kind.WILDCARD : Kind.EXACT;
        String literalPrefix = prefix && !wildcard ? pattern.substring(0, pattern.length() - 3) : null;
        return new PathPattern(pattern, kind, segments, literalPrefix, literals, literalLength);
    }

    private static boolean isCanonical(String segment) {
        try {
            return RequestTarget.canonicalPath("/" + segment).equals("/" + segment);
        } catch (MalformedMessage e) {
            return false;
        }
    }

    /** Whether {@code path} (without query string) matches this pattern. */
    public boolean matches(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            return false;
        }
        if (kind == Kind.EXACT) {
            return path.equals(pattern);
        }
        if (literalPrefix != null) {
            return path.startsWith(literalPrefix)
                    && (path.length() == literalPrefix.length() || path.charAt(literalPrefix.length()) == '/');
        }
        return matchSegments(path);
    }

    /** The pattern as written. */
    public String pattern() {
        return pattern;
    }

    public Kind kind() {
        return kind;
    }

    /** Number of segments that are neither {@code *} nor {@code **}. */
    public int literalSegments() {
        return literalSegments;
    }

    /** Total length of the literal segments' text. */
    public int literalLength() {
        return literalLength;
    }

    /** How many segments come before a trailing {@code **}: 0 for {@code /} and {@code /**}. */
    int segmentCount() {
        return segments.length;
    }

    /** Segment {@code index} (before a trailing {@code **}); null for {@code *}. */
    String segment(int index) {
        return segments[index];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PathPattern that && pattern.equals(that.pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }

    private boolean matchSegments(String path) {
        int length = path.length();
        int pos = 0; // always at a '/' that starts the next segment, or at the end
        for (String segment : segments) {
            if (pos >= length) {
                return false;
            }
            int start = pos + 1;
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            if (segment == null) {
                if (end == start) {
                    return false;
                }
            } else if (end - start != segment.length() || !path.regionMatches(start, segment, 0, segment.length())) {
                return false;
            }
            pos = end;
        }
        // A prefix pattern accepts any rest: nothing, "/" or "/more/segments".
        return kind == Kind.PREFIX || pos == length;
    }

    private static boolean containsWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static IllegalArgumentException invalid(String pattern, String expected) {
        return new IllegalArgumentException("\"" + pattern + "\" (expected: " + expected + ")");
    }
}
