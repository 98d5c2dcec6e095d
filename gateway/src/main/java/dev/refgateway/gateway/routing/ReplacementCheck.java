package dev.refgateway.gateway.routing;

import java.util.regex.Pattern;

/**
 * Checks a regex replacement at start-up with the rules of {@link java.util.regex.Matcher#appendReplacement}, so
 * that a reference to a missing group fails the configuration instead of every matching request.
 */
final class ReplacementCheck {

    private ReplacementCheck() {
    }

    static void requireValid(Pattern pattern, String replacement) {
        int groups = pattern.matcher("").groupCount();
        int i = 0;
        while (i < replacement.length()) {
            char c = replacement.charAt(i++);
            if (c == '\\') {
                if (i == replacement.length()) {
                    throw invalid(replacement, "a character after '\\'");
                }
                i++;
            } else if (c == '$') {
                i = checkGroupReference(pattern, groups, replacement, i);
            }
        }
    }

    // Returns the index after the reference; mirrors how Matcher reads "$12" (as many digits as name a group).
    private static int checkGroupReference(Pattern pattern, int groups, String replacement, int i) {
        if (i == replacement.length()) {
            throw invalid(replacement, "a group number or {name} after '$'; write \\$ for a literal '$'");
        }
        char next = replacement.charAt(i);
        if (next == '{') {
            int close = replacement.indexOf('}', i);
            String name = close < 0 ? "" : replacement.substring(i + 1, close);
            if (!pattern.namedGroups().containsKey(name)) {
                throw invalid(replacement, "only groups the regex names; it has no group named '" + name + "'");
            }
            return close + 1;
        }
        if (!isAsciiDigit(next)) {
            throw invalid(replacement, "a group number or {name} after '$'; write \\$ for a literal '$'");
        }
        int number = next - '0';
        if (number > groups) {
            throw invalid(replacement, "only groups the regex has; it has " + groups + " group(s)");
        }
        i++;
        while (i < replacement.length() && isAsciiDigit(replacement.charAt(i))) {
            int longer = number * 10 + (replacement.charAt(i) - '0');
            if (longer > groups) {
                break;
            }
            number = longer;
            i++;
        }
        return i;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException invalid(String replacement, String expected) {
        return new IllegalArgumentException("\"" + replacement + "\" (expected: " + expected + ")");
    }
}
