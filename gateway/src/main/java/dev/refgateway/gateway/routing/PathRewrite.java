package dev.refgateway.gateway.routing;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a route changes the path before forwarding it upstream.
 *
 * <p>A rewrite works on the <em>raw</em> path, still percent-encoded exactly as the client sent it (so {@code %2F}
 * stays {@code %2F} and never becomes a path separator); the query string is not part of it and is forwarded
 * unchanged by the caller. The result always starts with {@code /}.
 */
public sealed interface PathRewrite {

    /** Applies the rewrite to a raw path such as {@code /users/7%2F8}. */
    String apply(String rawPath);

    /** Forwards the path unchanged. */
    static PathRewrite none() {
        return None.INSTANCE;
    }

    /**
     * Removes the first {@code segments} segments: {@code /users/7} with 1 becomes {@code /7}; removing every
     * segment leaves {@code /}.
     */
    static PathRewrite stripPrefix(int segments) {
        if (segments < 0) {
            throw new IllegalArgumentException(segments + " (expected: >= 0)");
        }
        return segments == 0 ? none() : new StripPrefix(segments);
    }

    /**
     * Replaces every match of a Java regular expression in the raw path; {@code replacement} may refer to groups
     * as {@code $1} or {@code ${name}}. Example: regex {@code ^/api/v1/(.*)}, replacement {@code /$1}.
     *
     * @throws IllegalArgumentException when the regex does not compile or the replacement refers to a group that
     *                                  the regex does not have; the message has the form
     *                                  {@code "value" (expected: ...)}
     */
    static PathRewrite regex(String regex, String replacement) {
        Objects.requireNonNull(regex, "regex");
        Objects.requireNonNull(replacement, "replacement");
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("\"" + regex + "\" (expected: a Java regular expression; "
                    + e.getDescription() + " near index " + e.getIndex() + ")");
        }
        ReplacementCheck.requireValid(pattern, replacement);
        return new Regex(pattern, replacement);
    }

    /** No rewrite. */
    record None() implements PathRewrite {
        private static final None INSTANCE = new None();

        @Override
        public String apply(String rawPath) {
            return rawPath;
        }

        @Override
        public String toString() {
            return "none";
        }
    }

    /**
     * Drops the first {@code segments} path segments.
     *
     * @param segments how many leading segments to remove, at least 1
     */
    record StripPrefix(int segments) implements PathRewrite {
        public StripPrefix {
            if (segments < 1) {
                throw new IllegalArgumentException("segments: " + segments + " (expected: >= 1)");
            }
        }

        @Override
        public String apply(String rawPath) {
            int pos = 0;
            for (int i = 0; i < segments; i++) {
                int next = rawPath.indexOf('/', pos + 1);
                if (next < 0) {
                    return "/";
                }
                pos = next;
            }
            return rawPath.substring(pos);
        }

        @Override
        public String toString() {
            return "strip-prefix: " + segments;
        }
    }

    /**
     * Replaces every match of {@code pattern} with {@code replacement} (Java {@link java.util.regex.Matcher}
     * syntax). An empty result becomes {@code /}, and a result without a leading {@code /} gets one.
     *
     * @param pattern     the compiled regular expression
     * @param replacement the replacement, checked at start-up against the pattern's groups
     */
    record Regex(Pattern pattern, String replacement) implements PathRewrite {
        public Regex {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(replacement, "replacement");
            ReplacementCheck.requireValid(pattern, replacement);
        }

        @Override
        public String apply(String rawPath) {
            String result = pattern.matcher(rawPath).replaceAll(replacement);
            if (result.isEmpty()) {
                return "/";
            }
            return result.charAt(0) == '/' ? result : "/" + result;
        }

        @Override
        public String toString() {
            return "regex: " + pattern.pattern() + " -> " + replacement;
        }
    }
}
