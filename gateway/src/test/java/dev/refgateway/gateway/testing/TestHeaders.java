package dev.refgateway.gateway.testing;

import java.util.Set;
import java.util.TreeSet;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.WritableHeaders;

/** Builds headers the way the HTTP/1 parser does: one {@code add} per header line, so repeated names merge. */
public final class TestHeaders {

    private TestHeaders() {
    }

    /** Headers from {@code name, value, name, value, ...}; each pair is one header line. */
    public static WritableHeaders<?> of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("namesAndValues: " + namesAndValues.length + " (expected: even)");
        }
        WritableHeaders<?> headers = WritableHeaders.create();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(HeaderValues.create(HeaderNames.create(namesAndValues[i]), namesAndValues[i + 1]));
        }
        return headers;
    }

    /** The lower-case names present, sorted. */
    public static Set<String> names(Headers headers) {
        Set<String> names = new TreeSet<>();
        headers.forEach(header -> names.add(header.headerName().lowerCase()));
        return names;
    }
}
