package dev.refgateway.gateway.config;

import java.time.Duration;

import dev.refgateway.gateway.http1.Syntax;

/** Invariants the settings records check in their constructors, for settings built in code rather than read. */
final class Check {

    private Check() {
    }

    static void range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            String expected = max == Integer.MAX_VALUE ? ">= " + min : min + " to " + max;
            throw new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
        }
    }

    static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }

    static void notNegative(String name, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
        }
    }

    /**
     * An OAuth scope (RFC 6749 §3.3 scope-token): visible ASCII except space, double quote and backslash, at most
     * 128 characters. What passes can go into a header and a {@code WWW-Authenticate} parameter unescaped.
     */
    static boolean isScope(String text) {
        if (text == null || text.isEmpty() || text.length() > 128) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** A client id: letters, digits, '.', '_', '-', ':' or '@', at most 128 characters; safe in a header. */
    static boolean isClientId(String text) {
        if (text == null || text.isEmpty() || text.length() > 128) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alphaNumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphaNumeric && ".-_:@".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    // RFC 9110 token, the syntax of a header name
    static boolean isToken(String text) {
        return text != null && Syntax.isToken(text);
    }
}
