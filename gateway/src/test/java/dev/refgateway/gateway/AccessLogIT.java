package dev.refgateway.gateway;

import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.gateway.observability.AccessLog;
import dev.refgateway.gateway.testing.Backend;
import dev.refgateway.gateway.testing.TestGateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The access log: one JSON line per request, whatever the outcome, with the fields operators need and no secret a
 * request carried (API key, bearer token, cookie, query string).
 */
class AccessLogIT {

    private static final String SERVICE = "svc-access-log";
    private static final String API_KEY = "access-log-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LINES = new CopyOnWriteArrayList<>();
    private static final Logger ACCESS = Logger.getLogger(AccessLog.LOGGER_NAME);
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            LINES.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private static Backend backend;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        ACCESS.addHandler(CAPTURE);
        ConsulAgent agent = ConsulAgent.shared();
        backend = Backend.start(SERVICE, agent.client());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                      .digest(API_KEY.getBytes(StandardCharsets.UTF_8)));
        gateway = TestGateway.start(agent.url(), """
                  security:
                    api-keys:
                      - client-id: log-client
                        sha256: %s
                        scopes: [echo:read]
                  routes:
                    - id: keys
                      path: /echo/keys/**
                      service: %s
                      auth:
                        policy: api-key
                    - id: open
                      path: /echo/open/**
                      service: %s
                """.formatted(sha, SERVICE, SERVICE));
        await().atMost(Duration.ofSeconds(20)).until(() -> call("GET", "/echo/open/ready", Map.of()) == 200);
    }

    @AfterAll
    static void stop() {
        ACCESS.removeHandler(CAPTURE);
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void aProxiedRequestIsLoggedOnceWithEveryFieldAndWithoutItsSecrets() throws Exception {
        String id = UUID.randomUUID().toString();

        int status = call("GET", "/echo/keys/7?token=query-secret", Map.of(
                "X-Request-Id", id,
                "X-API-Key", API_KEY,
                "Cookie", "session=cookie-secret"));

        assertThat(status).isEqualTo(200);
        JsonNode line = lineOf(id);
        assertThat(line.get("time").asText()).satisfies(t -> Instant.parse(t));
        assertThat(line.get("requestId").asText()).isEqualTo(id);
        assertThat(line.get("clientIp").asText()).isEqualTo("127.0.0.1");
        assertThat(line.get("clientId").asText()).isEqualTo("log-client");
        assertThat(line.get("method").asText()).isEqualTo("GET");
        assertThat(line.get("path").asText()).isEqualTo("/echo/keys/7");
        assertThat(line.get("route").asText()).isEqualTo("keys");
        assertThat(line.get("instance").asText()).isEqualTo(backend.id());
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("bytesIn").asLong()).isZero();
        assertThat(line.get("bytesOut").asLong()).isPositive();
        assertThat(line.get("durationMs").asLong()).isNotNegative();
        assertThat(line.get("attempts").asInt()).isEqualTo(1);
        assertThat(line.get("outcome").asText()).isEqualTo("success");
        assertThat(rawLineOf(id)).doesNotContain(API_KEY, "cookie-secret", "query-secret");
    }

    @Test
    void aBearerKeyAndABodyAreCountedButTheKeyNeverLogged() throws Exception {
        String id = UUID.randomUUID().toString();

        int status = call("POST", "/echo/keys/upload", Map.of(
                "X-Request-Id", id,
                "Authorization", "Bearer " + API_KEY), "x".repeat(1000));

        assertThat(status).isEqualTo(200);
        JsonNode line = lineOf(id);
        assertThat(line.get("clientId").asText()).isEqualTo("log-client");
        assertThat(line.get("bytesIn").asLong()).isEqualTo(1000);
        assertThat(rawLineOf(id)).doesNotContain(API_KEY);
    }

    @Test
    void aRefusedRequestIsLoggedWithoutRouteInstanceOrTheRejectedKey() throws Exception {
        String id = UUID.randomUUID().toString();

        int status = call("GET", "/echo/keys/7", Map.of("X-Request-Id", id, "X-API-Key", "wrong-key-secret"));

        assertThat(status).isEqualTo(401);
        JsonNode line = lineOf(id);
        assertThat(line.get("status").asInt()).isEqualTo(401);
        assertThat(line.get("route").asText()).isEqualTo("keys");
        assertThat(line.get("clientId").isNull()).isTrue();
        assertThat(line.get("instance").isNull()).isTrue();
        assertThat(line.get("attempts").asInt()).isZero();
        assertThat(rawLineOf(id)).doesNotContain("wrong-key-secret");
    }

    @Test
    void anUnroutedRequestIsLoggedWithANullRoute() throws Exception {
        String id = UUID.randomUUID().toString();

        int status = call("GET", "/nowhere/\"quoted\"", Map.of("X-Request-Id", id));

        assertThat(status).isEqualTo(404);
        JsonNode line = lineOf(id);
        assertThat(line.get("status").asInt()).isEqualTo(404);
        assertThat(line.get("route").isNull()).isTrue();
        assertThat(line.get("outcome").asText()).isEqualTo("no-route");
        assertThat(line.get("bytesOut").asLong()).isPositive();
    }

    private static JsonNode lineOf(String requestId) throws Exception {
        return JSON.readTree(rawLineOf(requestId));
    }

    private static String rawLineOf(String requestId) {
        await().atMost(Duration.ofSeconds(5)).until(() -> LINES.stream().anyMatch(l -> l.contains(requestId)));
        List<String> lines = LINES.stream().filter(l -> l.contains(requestId)).toList();
        assertThat(lines).as("one line per request").hasSize(1);
        assertThat(lines.getFirst()).doesNotContain("\n");
        return lines.getFirst();
    }

    private static int call(String method, String path, Map<String, String> headers) throws Exception {
        return call(method, path, headers, null);
    }

    private static int call(String method, String path, Map<String, String> headers, String body) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + gateway.port()
                                                                              + path.replace("\"", "%22"))
                .toURL().openConnection();
        connection.setRequestMethod(method);
        headers.forEach(connection::setRequestProperty);
        if (body != null) {
            connection.setDoOutput(true);
            connection.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
        int status = connection.getResponseCode();
        (status >= 400 ? connection.getErrorStream() : connection.getInputStream()).readAllBytes();
        connection.disconnect();
        return status;
    }
}
