package dev.refgateway.users;

import java.io.IOException;
import java.io.UncheckedIOException;

import dev.refgateway.support.json.JsonBodies;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.ClientResponseHeaders;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;

import com.fasterxml.jackson.databind.JsonNode;

/** Sends requests and reads whole replies, so a test can assert status, headers and body together. */
final class JsonClient {

    private final Http1Client client;

    JsonClient(Http1Client client) {
        this.client = client;
    }

    /** {@code path} may carry a query ({@code /users?limit=2}); its parameters are sent as given, unencoded. */
    Reply get(String path) {
        int question = path.indexOf('?');
        if (question < 0) {
            return send(client.get(path), null);
        }
        // DirectClient would encode a '?' inside the path, so parameters go through queryParam.
        Http1ClientRequest request = client.get(path.substring(0, question));
        for (String pair : path.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            request.queryParam(equals < 0 ? pair : pair.substring(0, equals),
                               equals < 0 ? "" : pair.substring(equals + 1));
        }
        return send(request, null);
    }

    Reply post(String path, String json) {
        return send(client.post(path), json);
    }

    Reply put(String path, String json) {
        return send(client.put(path), json);
    }

    Reply delete(String path) {
        return send(client.delete(path), null);
    }

    private static Reply send(Http1ClientRequest request, String json) {
        if (json != null) {
            request.contentType(MediaTypes.APPLICATION_JSON);
        }
        try (Http1ClientResponse response = json == null ? request.request() : request.submit(json)) {
            String body = response.entity().hasEntity() ? response.as(String.class) : "";
            return new Reply(response.status(), response.headers(), body);
        }
    }

    /** A finished response. */
    record Reply(Status status, ClientResponseHeaders headers, String body) {

        JsonNode json() {
            try {
                return JsonBodies.mapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.first(HeaderNames.create(name)).orElse(null);
        }

        String contentType() {
            return header("Content-Type");
        }

        /** The {@code detail} of a problem response. */
        String detail() {
            return json().path("detail").asText();
        }

        @Override
        public String toString() {
            return status.code() + " " + headers + " " + body;
        }
    }
}
