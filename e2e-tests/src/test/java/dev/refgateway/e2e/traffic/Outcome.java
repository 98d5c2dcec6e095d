package dev.refgateway.e2e.traffic;

import java.time.Instant;

/**
 * What one request of a {@link TrafficLoop} got.
 *
 * @param method         GET, POST, ...
 * @param path           the request path
 * @param expectedStatus what success is for this request (200 for a GET, 201 for a POST that creates)
 * @param status         the status, or -1 when no answer came (connection refused or reset, timeout)
 * @param instanceId     {@code X-Instance-Id} of the answer; empty when the gateway answered itself
 * @param detail         for failures: the problem body, {@code Gateway-Attempts}, or the I/O error
 * @param sentAt         when the request was sent
 * @param millis         how long the answer took
 */
public record Outcome(String method, String path, int expectedStatus, int status, String instanceId, String detail,
                      Instant sentAt, long millis) {

    public boolean failed() {
        return status != expectedStatus;
    }

    @Override
    public String toString() {
        return sentAt + " " + method + " " + path + " -> " + (status < 0 ? "no answer" : status) + " after " + millis
                + " ms" + (instanceId.isEmpty() ? "" : " from " + instanceId) + (failed() ? ": " + detail : "");
    }
}
