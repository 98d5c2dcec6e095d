package dev.refgateway.gateway.relay.headers;

/**
 * Parses IP address literals from a region of a string, without DNS and without creating substrings.
 * <p>
 * IPv4: exactly four dot-separated decimal octets 0–255; a leading zero ({@code 010}) is refused because some
 * parsers read it as octal. IPv6: RFC 4291 §2.2 text forms — eight groups of 1–4 hex digits, at most one {@code ::},
 * optionally ending in a dotted IPv4 address; no brackets and no zone id (callers strip those).
 * {@code InetAddress.ofLiteral} would do this, but it needs JDK 22 and we compile for 21.
 */
final class IpLiterals {

    /** Returned by {@link #parseIpv4} for anything that is not an IPv4 literal. */
    static final long NOT_IPV4 = -1;

    private IpLiterals() {
    }

    /** The address as an unsigned 32-bit value, or {@link #NOT_IPV4}. */
    static long parseIpv4(String s, int from, int to) {
        long address = 0;
        int octets = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 3) {
                int digit = s.charAt(i) - '0';
                if (digit < 0 || digit > 9) {
                    break;
                }
                value = value * 10 + digit;
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return NOT_IPV4;
            }
            address = (address << 8) | value;
            octets++;
            if (i == to) {
                return octets == 4 ? address : NOT_IPV4;
            }
            if (octets == 4 || s.charAt(i) != '.') {
                return NOT_IPV4;
            }
            i++;
        }
    }

    /** The 128-bit address, or {@code null} when the region is not an IPv6 literal. */
    static Ipv6 parseIpv6(String s, int from, int to) {
        if (to - from < 2) {
            return null;
        }
        // Groups before "::" are shifted into head, groups after it into tail; head is moved into place at the end.
        long headHigh = 0;
        long headLow = 0;
        long tailHigh = 0;
        long tailLow = 0;
        int headGroups = 0;
        int groups = 0;
        boolean compressed = false;
        int i = from;
        if (s.charAt(i) == ':') {
            if (s.charAt(i + 1) != ':') {
                return null;
            }
            compressed = true;
            i += 2;
        }
        while (i < to) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 5) {
                int digit = hexDigit(s.charAt(i));
                if (digit < 0) {
                    break;
                }
                value = (value << 4) | digit;
                i++;
            }
            int digits = i - start;
            if (i < to && s.charAt(i) == '.') {
                long ipv4 = parseIpv4(s, start, to);
                if (ipv4 == NOT_IPV4) {
                    return null;
                }
                // the dotted tail counts as two groups
                if (compressed) {
                    tailHigh = shiftHigh(tailHigh, tailLow);
                    tailLow = (tailLow << 16) | (ipv4 >>> 16);
                    tailHigh = shiftHigh(tailHigh, tailLow);
                    tailLow = (tailLow << 16) | (ipv4 & 0xFFFF);
                } else {
                    headHigh = shiftHigh(headHigh, headLow);
                    headLow = (headLow << 16) | (ipv4 >>> 16);
                    headHigh = shiftHigh(headHigh, headLow);
                    headLow = (headLow << 16) | (ipv4 & 0xFFFF);
                    headGroups += 2;
                }
                groups += 2;
                i = to;
                break;
            }
            if (digits == 0 || digits > 4) {
                return null;
            }
            if (compressed) {
                tailHigh = shiftHigh(tailHigh, tailLow);
                tailLow = (tailLow << 16) | value;
            } else {
                headHigh = shiftHigh(headHigh, headLow);
                headLow = (headLow << 16) | value;
                headGroups++;
            }
            groups++;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':' || i + 1 == to) {
                return null;
            }
            i++;
            if (s.charAt(i) == ':') {
                if (compressed) {
                    return null;
                }
                compressed = true;
                i++;
            }
        }
        if (compressed ? groups > 7 : groups != 8) {
            return null;
        }
        for (int shift = headGroups; shift < 8; shift++) {
            headHigh = shiftHigh(headHigh, headLow);
            headLow <<= 16;
        }
        return new Ipv6(headHigh | tailHigh, headLow | tailLow);
    }

    /** ASCII only: Character.digit would also accept, say, fullwidth digits. */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** The high word after shifting the 128-bit value left by one 16-bit group. */
    private static long shiftHigh(long high, long low) {
        return (high << 16) | (low >>> 48);
    }

    /** A 128-bit IPv6 address as two words. */
    record Ipv6(long high, long low) {

        /** Whether this is an IPv4-mapped address ({@code ::ffff:a.b.c.d}). */
        boolean isIpv4Mapped() {
            return high == 0 && (low >>> 32) == 0xFFFFL;
        }

        /** The IPv4 address of an IPv4-mapped address. */
        long ipv4() {
            return low & 0xFFFFFFFFL;
        }
    }
}
