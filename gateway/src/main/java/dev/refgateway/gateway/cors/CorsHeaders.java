package dev.refgateway.gateway.cors;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.refgateway.gateway.http1.Syntax;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;

/** The response headers CORS owns, and comma-separated lists without regular expressions. */
final class CorsHeaders {

    static final Header ALLOW_CREDENTIALS_TRUE =
            HeaderValues.createCached(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    private static final Header VARY_ORIGIN = HeaderValues.createCached(HeaderNames.VARY, "Origin");

    /** Every response header of the CORS protocol (and Private Network Access, its extension). */
    private static final List<HeaderName> ACCESS_CONTROL = List.of(
            HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderNames.ACCESS_CONTROL_ALLOW_METHODS,
            HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderNames.ACCESS_CONTROL_MAX_AGE,
            HeaderNames.create("Access-Control-Allow-Private-Network"));

    private CorsHeaders() {
    }

    static void removeAccessControl(WritableHeaders<?> headers) {
        for (HeaderName name : ACCESS_CONTROL) {
            headers.remove(name);
        }
    }

    /**
     * Adds {@code Origin} to {@code Vary}, keeping what is there: on a route with CORS the answer depends on the
     * {@code Origin} header even when the request had none, so a shared cache must not hand one origin's answer to
     * another.
     */
    static void addVaryOrigin(WritableHeaders<?> headers) {
        if (!headers.contains(HeaderNames.VARY)) {
            headers.set(VARY_ORIGIN);
            return;
        }
        List<String> values = headers.get(HeaderNames.VARY).allValues();
        for (String value : values) {
            if (containsToken(value, "origin") || containsToken(value, "*")) {
                return;
            }
        }
        List<String> merged = new ArrayList<>(values.size() + 1);
        merged.addAll(values);
        merged.add("Origin");
        headers.set(HeaderNames.VARY, merged);
    }

    /** Whether the comma-separated {@code list} has {@code lowerToken}, compared case-insensitively. */
    static boolean containsToken(String list, String lowerToken) {
        int i = 0;
        int length = list.length();
        while (i <= length) {
            int comma = list.indexOf(',', i);
            int end = comma < 0 ? length : comma;
            int start = i;
            while (start < end && isWhitespace(list.charAt(start))) {
                start++;
            }
            int stop = end;
            while (stop > start && isWhitespace(list.charAt(stop - 1))) {
                stop--;
            }
            if (stop - start == lowerToken.length() && list.regionMatches(true, start, lowerToken, 0, stop - start)) {
                return true;
            }
            i = end + 1;
        }
        return false;
    }

    /** The non-empty, trimmed elements of comma-separated lists, lower-cased. */
    static List<String> lowerCaseElements(List<String> lists) {
        List<String> elements = new ArrayList<>();
        for (String list : lists) {
            int i = 0;
            int length = list.length();
            while (i <= length) {
                int comma = list.indexOf(',', i);
                int end = comma < 0 ? length : comma;
                String element = list.substring(i, end).strip();
                if (!element.isEmpty()) {
                    elements.add(element.toLowerCase(Locale.ROOT));
                }
                i = end + 1;
            }
        }
        return elements;
    }

    /** RFC 9110 token: the syntax of a method and of a header name. */
    static boolean isToken(String text) {
        return Syntax.isToken(text);
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }
}
