package dev.refgateway.gateway.relay.headers;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

/**
 * Request correlation: {@code X-Request-Id} (kept when the client's is sane, generated otherwise) and W3C
 * {@code traceparent} validation, so the proxy passes valid trace context on and drops the rest.
 * <p>
 * A sane request id is one {@code X-Request-Id} header of 1–{@value #MAX_LENGTH} visible ASCII characters
 * ({@code !} to {@code ~}) without a comma: no spaces or control characters that could split a log line or a
 * header, and no comma, which would make it read as a list. Anything else is replaced rather than repaired.
 * <p>
 * Generated ids are 128 random bits from {@link ThreadLocalRandom} as 32 lower-case hex characters: unique enough
 * for correlation, and free of the lock contention of {@code UUID.randomUUID()}'s shared {@code SecureRandom}.
 * They are not secrets and must not be used as such.
 */
public final class RequestIds {

    /** The request id header. */
    public static final HeaderName X_REQUEST_ID = HeaderNames.create("X-Request-Id");
    /** The W3C trace context header. */
    public static final HeaderName TRACEPARENT = HeaderNames.createFromLowercase("traceparent");
    /** Longest client request id that is kept. */
    public static final int MAX_LENGTH = 128;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** Length of a version-00 traceparent: 2 + 1 + 32 + 1 + 16 + 1 + 2. */
    private static final int TRACEPARENT_LENGTH = 55;

    private RequestIds() {
    }

    /** The client's {@code X-Request-Id} when it is sane, else a new id. */
    public static String ensure(Headers incoming) {
        if (incoming.contains(X_REQUEST_ID)) {
            Header header = incoming.get(X_REQUEST_ID);
            if (header.valueCount() == 1 && isSane(header.get())) {
                return header.get();
            }
        }
        return newId();
    }

    /** Whether {@code id} may be passed on as a request id (see the class description). */
    public static boolean isSane(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '!' || c > '~' || c == ',') {
                return false;
            }
        }
        return true;
    }

    /** A new id: 128 random bits as 32 lower-case hex characters. */
    public static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] id = new byte[32];
        writeHex(random.nextLong(), id, 0);
        writeHex(random.nextLong(), id, 16);
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    /**
     * The client's {@code traceparent} when there is exactly one and it is valid, else {@code null}: the W3C
     * specification treats several {@code traceparent} headers as invalid.
     */
    public static String traceparent(Headers incoming) {
        if (!incoming.contains(TRACEPARENT)) {
            return null;
        }
        Header header = incoming.get(TRACEPARENT);
        if (header.valueCount() != 1) {
            return null;
        }
        String value = header.get();
        return isValidTraceparent(value) ? value : null;
    }

    /**
     * Whether {@code value} is a valid W3C Trace Context {@code traceparent}:
     * {@code version-traceid-parentid-flags} in lower-case hex (2-32-16-2 digits). Version {@code ff} is invalid;
     * an all-zero trace id or parent id is invalid. Version {@code 00} must be exactly 55 characters; a higher
     * version may carry more fields after a further {@code -}, which are ignored as the specification asks.
     */
    public static boolean isValidTraceparent(String value) {
        if (value == null || value.length() < TRACEPARENT_LENGTH) {
            return false;
        }
        if (!isLowerHex(value, 0, 2) || value.charAt(2) != '-'
                || !isLowerHex(value, 3, 35) || value.charAt(35) != '-'
                || !isLowerHex(value, 36, 52) || value.charAt(52) != '-'
                || !isLowerHex(value, 53, 55)) {
            return false;
        }
        if (value.charAt(0) == 'f' && value.charAt(1) == 'f') {
            return false;
        }
        if (isAllZero(value, 3, 35) || isAllZero(value, 36, 52)) {
            return false;
        }
        boolean version00 = value.charAt(0) == '0' && value.charAt(1) == '0';
        if (version00) {
            return value.length() == TRACEPARENT_LENGTH;
        }
        return value.length() == TRACEPARENT_LENGTH || value.charAt(TRACEPARENT_LENGTH) == '-';
    }

    private static boolean isLowerHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAllZero(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    private static void writeHex(long value, byte[] target, int offset) {
        for (int i = 15; i >= 0; i--) {
            target[offset + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }
}
