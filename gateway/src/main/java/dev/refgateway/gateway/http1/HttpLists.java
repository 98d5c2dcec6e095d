package dev.refgateway.gateway.http1;

import java.util.List;

import io.helidon.http.Header;

/**
 * Scans comma-separated header lists (RFC 9110 §5.6.1) in place: elements are trimmed of optional whitespace, empty
 * elements are ignored, and no substrings are created.
 */
public final class HttpLists {

    private HttpLists() {
    }

    /** Whether any value of {@code header} lists {@code lowerToken}, compared case-insensitively. */
    public static boolean contains(Header header, String lowerToken) {
        if (header.valueCount() == 1) {
            // get() avoids the list that allValues() may build for a single value
            return contains(header.get(), lowerToken);
        }
        List<String> values = header.allValues();
        for (int i = 0; i < values.size(); i++) {
            if (contains(values.get(i), lowerToken)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code list} has an element equal to {@code lowerToken}, ignoring case and surrounding whitespace. */
    public static boolean contains(String list, String lowerToken) {
        int length = list.length();
        int i = 0;
        while (i < length) {
            int start = skipWhitespace(list, i, length);
            int comma = indexOf(list, ',', start, length);
            int end = trimEnd(list, start, comma);
            if (end - start == lowerToken.length() && list.regionMatches(true, start, lowerToken, 0, end - start)) {
                return true;
            }
            i = comma + 1;
        }
        return false;
    }

    /** Index of the first {@code c} in {@code [from, to)}, or {@code to}. */
    public static int indexOf(String s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return to;
    }

    public static int skipWhitespace(String s, int from, int to) {
        int i = from;
        while (i < to && isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    public static int trimEnd(String s, int from, int to) {
        int end = to;
        while (end > from && isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    public static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }
}
