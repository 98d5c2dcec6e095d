package dev.refgateway.gateway.security;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

/**
 * The credentials a request presents: a bearer token ({@code Authorization: Bearer}, RFC 6750 §2.1) or an API key
 * ({@code X-API-Key}). Values are handed on, never logged or echoed.
 *
 * @param bearer  the bearer token, or null
 * @param apiKey  the {@code X-API-Key} value, or null
 * @param failure why the credentials cannot be used at all (two of them, a malformed bearer header), or null
 */
record Credentials(String bearer, String apiKey, AuthFailure failure) {

    private static final Credentials NONE = new Credentials(null, null, null);
    private static final Credentials MULTIPLE = new Credentials(null, null, AuthFailure.MULTIPLE_CREDENTIALS);
    private static final Credentials MALFORMED = new Credentials(null, null, AuthFailure.MALFORMED_AUTHORIZATION);
    private static final String BEARER = "Bearer";

    /**
     * Reads the credentials of a request.
     *
     * @param headers    request headers
     * @param readApiKey whether {@code X-API-Key} counts (only on routes that take API keys; elsewhere it is ignored)
     */
    static Credentials read(Headers headers, boolean readApiKey) {
        String bearer = null;
        if (headers.contains(HeaderNames.AUTHORIZATION)) {
            Header authorization = headers.get(HeaderNames.AUTHORIZATION);
            if (authorization.valueCount() > 1) {
                return MULTIPLE;
            }
            String value = authorization.get();
            // Other schemes (Basic, say) are meant for the backend, not for the gateway.
            if (isBearer(value)) {
                bearer = token(value);
                if (bearer == null) {
                    return MALFORMED;
                }
            }
        }
        String apiKey = null;
        if (readApiKey && headers.contains(IdentityHeaders.X_API_KEY)) {
            Header header = headers.get(IdentityHeaders.X_API_KEY);
            if (header.valueCount() > 1) {
                return MULTIPLE;
            }
            String value = header.get().strip();
            apiKey = value.isEmpty() ? null : value;
        }
        if (bearer != null && apiKey != null) {
            return MULTIPLE;
        }
        return bearer == null && apiKey == null ? NONE : new Credentials(bearer, apiKey, null);
    }

    /** Whether an {@code Authorization} value uses the Bearer scheme (case-insensitive). */
    static boolean isBearer(String value) {
        return value.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && (value.length() == BEARER.length() || value.charAt(BEARER.length()) == ' ');
    }

    // RFC 6750 b64token after one or more spaces: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
    private static String token(String value) {
        int start = BEARER.length();
        while (start < value.length() && value.charAt(start) == ' ') {
            start++;
        }
        int end = value.length();
        while (end > start && value.charAt(end - 1) == ' ') {
            end--;
        }
        int i = start;
        while (i < end && isTokenChar(value.charAt(i))) {
            i++;
        }
        if (i == start) {
            return null;
        }
        while (i < end && value.charAt(i) == '=') {
            i++;
        }
        return i == end ? value.substring(start, end) : null;
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }

    @Override
    public String toString() {
        return "Credentials[bearer=" + (bearer == null ? "none" : "(redacted)")
                + ", apiKey=" + (apiKey == null ? "none" : "(redacted)")
                + ", failure=" + failure + "]";
    }
}
