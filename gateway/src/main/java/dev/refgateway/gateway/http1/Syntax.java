package dev.refgateway.gateway.http1;

/**
 * The character classes of HTTP's grammar, one table each, so that "is this a token?" has one answer everywhere.
 * <ul>
 *     <li>{@code tchar}: the characters of a token — a method, a header name (RFC 9110 §5.6.2);</li>
 *     <li>field-value characters: visible ASCII, space, tab and obs-text (bytes 0x80-0xFF); never CR, LF, NUL or
 *     another control character (RFC 9110 §5.5).</li>
 * </ul>
 */
public final class Syntax {

    private static final boolean[] TCHAR = new boolean[256];
    private static final boolean[] FIELD_VALUE = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            TCHAR[c] = true;
            TCHAR[c + ('a' - 'A')] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
        for (int c = 0x21; c <= 0x7E; c++) {
            FIELD_VALUE[c] = true;
        }
        for (int c = 0x80; c <= 0xFF; c++) {
            FIELD_VALUE[c] = true;
        }
        FIELD_VALUE[' '] = true;
        FIELD_VALUE['\t'] = true;
    }

    private Syntax() {
    }

    /** Whether {@code b} (0-255) may appear in a token. */
    public static boolean isTchar(int b) {
        return TCHAR[b & 0xFF];
    }

    /** Whether {@code b} (0-255) may appear in a field value. */
    public static boolean isFieldValueChar(int b) {
        return FIELD_VALUE[b & 0xFF];
    }

    /** Whether {@code text} is a token: not empty, only {@code tchar}. */
    public static boolean isToken(CharSequence text) {
        int length = text.length();
        if (length == 0) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c > 0xFF || !TCHAR[c]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code bytes[from, to)} is a token. */
    public static boolean isToken(byte[] bytes, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!TCHAR[bytes[i] & 0xFF]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code text} could be sent as a field value: only field-value characters. */
    public static boolean isFieldValue(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0xFF || !FIELD_VALUE[c]) {
                return false;
            }
        }
        return true;
    }

    /** The value of a hexadecimal digit, or -1. */
    public static int hexValue(int b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /** Whether {@code bytes[from, to)} equals {@code lowerCase} ignoring ASCII case. */
    public static boolean equalsIgnoreCase(byte[] bytes, int from, int to, String lowerCase) {
        int length = lowerCase.length();
        if (to - from != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            int b = bytes[from + i];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
