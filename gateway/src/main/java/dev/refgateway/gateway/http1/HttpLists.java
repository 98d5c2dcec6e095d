package dev.refgateway.gateway.http1;

/**
 * In-place scanning of comma-separated header lists (RFC 9110 §5.6.1) in text the gateway parses itself (request
 * heads before Helidon sees them, {@code X-Forwarded-For} chains on every request): optional whitespace trimmed, no
 * substrings created. Where a Helidon {@code Headers} is at hand and a list is rare, its {@code values(name)} splits
 * the list instead ({@code HopByHopHeaders}).
 */
public final class HttpLists {

    private HttpLists() {
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
