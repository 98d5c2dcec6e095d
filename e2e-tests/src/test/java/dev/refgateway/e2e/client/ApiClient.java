package dev.refgateway.e2e.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A blocking HTTP/1.1 client for one base URI (the gateway's client or admin port). Thread-safe; requests time out
 * after 30 s, longer than the gateway's own route deadline (15 s), so the gateway's answer is what a test sees.
 */
public final class ApiClient {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI base;

    private ApiClient(HttpClient http, URI base) {
        this.http = http;
        this.base = base;
    }

    public static ApiClient of(URI base) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new ApiClient(http, base);
    }

    public URI base() {
        return base;
    }

    /** GET with optional headers as name/value pairs. */
    public Reply get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    /** POST of a JSON body ({@code null}: no body) with optional headers as name/value pairs. */
    public Reply post(String path, String json, String... headers) {
        return send("POST", path, json, headers);
    }

    /**
     * Sends a request and reads the whole answer.
     *
     * @throws UncheckedIOException when no answer arrives (connection refused or reset, timeout)
     */
    public Reply send(String method, String path, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.method(method, HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body(),
                             Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " got no answer after "
                                                   + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + " interrupted", e);
        }
    }
}
