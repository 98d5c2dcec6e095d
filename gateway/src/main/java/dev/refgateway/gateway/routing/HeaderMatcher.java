package dev.refgateway.gateway.routing;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.refgateway.gateway.http1.Syntax;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

/**
 * A condition on one request header. Header names are case-insensitive; values are compared case-sensitively.
 * When the header occurs several times, one matching value is enough.
 *
 * <p>In configuration a route's {@code headers} is a list; each entry has {@code name} and exactly one of
 * {@code value}, {@code regex} or {@code present}:
 * <pre>
 * headers:
 *   - name: X-Api-Version
 *     value: "2"            # exact value
 *   - name: X-Canary
 *     present: true         # any value, even an empty one
 *   - name: User-Agent
 *     regex: "^curl/"       # Java regex, searched anywhere in the value: anchor it with ^ and $
 * </pre>
 */
public sealed interface HeaderMatcher {

    /** The header this matcher looks at. */
    HeaderName name();

    /** Whether the request headers satisfy this condition. */
    boolean matches(Headers headers);

    /**
     * The header must have exactly {@code value} (one of its values, when repeated).
     *
     * @throws IllegalArgumentException when {@code name} is not a valid header name
     */
    static HeaderMatcher exact(String name, String value) {
        return new Exact(headerName(name), Objects.requireNonNull(value, "value"));
    }

    /**
     * The header must be present, with any value.
     *
     * @throws IllegalArgumentException when {@code name} is not a valid header name
     */
    static HeaderMatcher present(String name) {
        return new Present(headerName(name));
    }

    /**
     * A value of the header must contain a match of {@code regex} ({@link java.util.regex.Matcher#find()}).
     *
     * @throws IllegalArgumentException when {@code name} is not a valid header name or the regex does not compile;
     *                                  the message has the form {@code "value" (expected: ...)}
     */
    static HeaderMatcher regex(String name, String regex) {
        HeaderName headerName = headerName(name);
        Objects.requireNonNull(regex, "regex");
        try {
            return new Matches(headerName, Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("\"" + regex + "\" (expected: a Java regular expression; "
                    + e.getDescription() + " near index " + e.getIndex() + ")");
        }
    }

    /**
     * The header has exactly this value.
     *
     * @param name  header name
     * @param value the value, compared case-sensitively
     */
    record Exact(HeaderName name, String value) implements HeaderMatcher {
        public Exact {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean matches(Headers headers) {
            for (String candidate : headers.all(name, List::of)) {
                if (value.equals(candidate)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return name.defaultCase() + ": " + value;
        }
    }

    /**
     * The header is present.
     *
     * @param name header name
     */
    record Present(HeaderName name) implements HeaderMatcher {
        public Present {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public boolean matches(Headers headers) {
            return headers.contains(name);
        }

        @Override
        public String toString() {
            return name.defaultCase() + " present";
        }
    }

    /**
     * A value of the header contains a match of the pattern.
     *
     * @param name    header name
     * @param pattern compiled regular expression
     */
    record Matches(HeaderName name, Pattern pattern) implements HeaderMatcher {
        public Matches {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(pattern, "pattern");
        }

        @Override
        public boolean matches(Headers headers) {
            for (String candidate : headers.all(name, List::of)) {
                if (pattern.matcher(candidate).find()) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return name.defaultCase() + " ~ " + pattern.pattern();
        }
    }

    private static HeaderName headerName(String name) {
        Objects.requireNonNull(name, "name");
        if (!Syntax.isToken(name)) {
            throw new IllegalArgumentException("\"" + name + "\" (expected: a header name: letters, digits and "
                    + "!#$%&'*+-.^_`|~)");
        }
        return HeaderNames.create(name);
    }
}
