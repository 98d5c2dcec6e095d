package dev.refgateway.gateway;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.gateway.testing.GrpcOrdersBackend;
import dev.refgateway.gateway.testing.TestGateway;
import dev.refgateway.orders.grpc.v1.CreateOrderRequest;
import dev.refgateway.orders.grpc.v1.GetOrderRequest;
import dev.refgateway.orders.grpc.v1.ListOrdersRequest;
import dev.refgateway.orders.grpc.v1.OrderStatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Metadata;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.refgateway.gateway.testing.GatewayMetricsText.metric;
import static dev.refgateway.gateway.testing.GatewayMetricsText.scrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HTTP/JSON through a real gateway to real gRPC servers (two instances of {@code refgateway.orders.v1.Orders}):
 * every translated method, the message each instance got, the status mapping, failover, deadlines and streaming.
 */
class GatewayGrpcIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_KEY = "grpc-it-key-0123456789";
    private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

    private static GrpcOrdersBackend a;
    private static GrpcOrdersBackend b;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        a = GrpcOrdersBackend.start("orders-a");
        b = GrpcOrdersBackend.start("orders-b");
        gateway = TestGateway.start(ConsulAgent.shared().url(), """
                  grpc:
                    descriptor-sets: [classpath:grpc/refgateway.pb]
                    stream-idle-timeout: 2s
                  security:
                    api-keys:
                      - client-id: grpc-reader
                        sha256: %s
                        scopes: [orders:read]
                  routes:
                    - id: orders-grpc
                      path: /v1/**
                      service: orders-grpc-it
                      instances: [%s, %s]
                      grpc: refgateway.orders.v1.Orders
                      per-try-timeout: 800ms
                      timeout: 3s
                      retry: {backoff-base: 10ms}
                    - id: secure-orders-grpc
                      path: /secure/v1/**
                      service: orders-grpc-it
                      instances: [%s, %s]
                      grpc: refgateway.orders.v1.Orders
                      strip-prefix: 1
                      auth: {policy: api-key, scopes: [orders:read]}
                """.formatted(sha256(API_KEY), a.address(), b.address(), a.address(), b.address()));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        a.close();
        b.close();
    }

    @AfterEach
    void reset() {
        for (GrpcOrdersBackend backend : List.of(a, b)) {
            backend.failWith(null);
            backend.delay(Duration.ZERO);
            backend.received().clear();
        }
    }

    @Test
    void aGetWithAPathVariableIsACallOfGetOrderAndItsAnswerIsJson() throws Exception {
        HttpResponse<String> answer = send("GET", "/v1/orders/42", null, "X-Request-Id", "req-grpc-1");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode order = JSON.readTree(answer.body());
        assertThat(order.get("id").asText()).isEqualTo("42");
        assertThat(order.get("status").asText()).isEqualTo("CREATED");
        assertThat(order.get("items").get(0).get("unitPrice").asText()).isEqualTo("9.99");
        GrpcOrdersBackend.Received got = onlyReceived();
        assertThat(got.method()).isEqualTo("GetOrder");
        assertThat(got.request()).isEqualTo(GetOrderRequest.newBuilder().setId(42).build());
        assertThat(got.headers().get(key("x-request-id"))).isEqualTo("req-grpc-1");
        assertThat(got.headers().get(key("x-forwarded-for"))).isEqualTo("127.0.0.1");
        // the attempt's read timeout went along as the call's deadline
        assertThat(got.deadlineMillis()).isBetween(1L, 800L);
        assertThat(answer.headers().firstValue("X-Instance-Id")).contains(got == a.received().stream().findFirst()
                .orElse(null) ? "orders-a" : "orders-b");
    }

    @Test
    void authenticationIsDecidedBeforeTranslationAndTheRewrittenPathIsWhatIsTranslated() throws Exception {
        assertProblem(send("GET", "/secure/v1/orders/8", null), 401, "unauthenticated", "");
        assertThat(a.received()).isEmpty();
        assertThat(b.received()).isEmpty();

        HttpResponse<String> answer = send("GET", "/secure/v1/orders/8", null, "X-API-Key", API_KEY);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        GrpcOrdersBackend.Received got = onlyReceived();
        assertThat(got.request()).isEqualTo(GetOrderRequest.newBuilder().setId(8).build());
        // the instance learns who called, as an HTTP instance would; the key itself never goes on
        assertThat(got.headers().get(key("x-auth-client-id"))).isEqualTo("grpc-reader");
        assertThat(got.headers().get(key("x-api-key"))).isNull();
    }

    @Test
    void queryParametersFillTheFieldsThePathDoesNot() throws Exception {
        HttpResponse<String> answer = send("GET", "/v1/users/7/orders?page_size=2&offset=1", null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).get("orders")).hasSize(2);
        assertThat(onlyReceived().request()).isEqualTo(ListOrdersRequest.newBuilder().setUserId(7).setPageSize(2)
                                                               .setOffset(1).build());
    }

    @Test
    void aPostBodyIsTheWholeRequestMessage() throws Exception {
        HttpResponse<String> answer = send("POST", "/v1/orders",
                "{\"userId\": \"3\", \"items\": [{\"sku\": \"PEN-2\", \"quantity\": 4, \"unit_price\": \"1.25\"}]}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).get("items").get(0).get("sku").asText()).isEqualTo("PEN-2");
        CreateOrderRequest got = (CreateOrderRequest) onlyReceived().request();
        assertThat(got.getUserId()).isEqualTo(3);
        assertThat(got.getItems(0).getQuantity()).isEqualTo(4);
        assertThat(got.getItems(0).getUnitPrice()).isEqualTo("1.25");
    }

    @Test
    void anInstancesStatusIsMappedToItsHttpStatusAsAProblem() throws Exception {
        for (GrpcOrdersBackend backend : List.of(a, b)) {
            backend.failWith(Status.NOT_FOUND.withDescription("order 9: not found"));
        }
        assertProblem(send("GET", "/v1/orders/9", null), 404, "grpc-not-found", "order 9: not found");
        for (GrpcOrdersBackend backend : List.of(a, b)) {
            backend.failWith(Status.INVALID_ARGUMENT.withDescription("items: [] (expected: 1 to 100 items)"));
        }
        assertProblem(send("POST", "/v1/orders", "{\"userId\": 1}"), 400, "grpc-invalid-argument", "items: []");
        for (GrpcOrdersBackend backend : List.of(a, b)) {
            backend.failWith(Status.PERMISSION_DENIED);
        }
        assertProblem(send("GET", "/v1/orders/9", null), 403, "grpc-permission-denied", "PERMISSION_DENIED");
    }

    @Test
    void unavailableOnOneInstanceIsRetriedOnTheOtherWithoutAClientError() throws Exception {
        a.failWith(Status.UNAVAILABLE.withDescription("draining"));

        for (int i = 0; i < 4; i++) {
            HttpResponse<String> answer = send("GET", "/v1/orders/" + i, null);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("X-Instance-Id")).contains("orders-b");
        }
    }

    @Test
    void aKilledInstanceCostsNoRequestAndServesAgainOnceItIsBack() throws Exception {
        int port = a.port();
        a.close();
        try {
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> answer = send("GET", "/v1/orders/" + i, null);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(answer.headers().firstValue("X-Instance-Id")).contains("orders-b");
            }
        } finally {
            a = GrpcOrdersBackend.start("orders-a", port);
        }
        // ejected for a while after its failures; then picked again, on a fresh connection
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).until(() ->
                send("GET", "/v1/orders/1", null).headers().firstValue("X-Instance-Id").orElse("").equals("orders-a"));
    }

    @Test
    void aRequestThatIsNoCallOfTheServiceIsRefusedBeforeAnyInstanceIsAsked() throws Exception {
        assertProblem(send("GET", "/v1/orders/abc", null), 400, "invalid-grpc-request",
                      "path variable id (Not an int64 value: \"abc\")");
        assertProblem(send("GET", "/v1/orders/1?colour=red", null), 400, "invalid-grpc-request", "colour");
        assertProblem(send("POST", "/v1/orders", "{not json"), 400, "invalid-grpc-request", "expected: JSON");
        assertProblem(send("GET", "/v1/users/1/orders?page_size=1&pageSize=2", null), 400, "invalid-grpc-request",
                      "given 2 times");
        // the path decides: no query (nor body) may set a field the path binds, not even over a default value
        assertProblem(send("GET", "/v1/orders/0?id=7", null), 400, "invalid-grpc-request",
                      "query parameter id (expected: none for a field the path binds)");
        assertProblem(send("POST", "/v1/orders", "{\"userId\": 1, \"userId\": 2}"), 400, "invalid-grpc-request",
                      "Duplicate field");
        assertProblem(send("POST", "/v1/orders", "{\"userId\": 1}", "Content-Type", "text/plain"), 415,
                      "unsupported-media-type", "Content-Type: text/plain");
        assertProblem(send("GET", "/v1/nothing/here", null), 404, "grpc-method-not-found", "GET /v1/nothing/here");
        HttpResponse<String> delete = send("DELETE", "/v1/orders/1", null);
        assertProblem(delete, 405, "grpc-method-not-allowed", "expected: GET");
        assertThat(delete.headers().firstValue("Allow")).contains("GET");
        assertThat(a.received()).isEmpty();
        assertThat(b.received()).isEmpty();
    }

    @Test
    void anInstanceTooSlowForThePerTryTimeoutIsCancelledAndTheOtherTried() throws Exception {
        a.delay(Duration.ofSeconds(2));
        b.delay(Duration.ofSeconds(2));

        HttpResponse<String> answer = send("GET", "/v1/orders/5", null);

        assertProblem(answer, 504, "upstream-timeout", "did not answer in time");
        assertThat(a.received()).hasSize(1);
        assertThat(b.received()).hasSize(1);
        await().atMost(Duration.ofSeconds(3)).until(() -> a.cancelled() + b.cancelled() >= 2);
    }

    @Test
    void aServerStreamArrivesLineByLineAsTheInstanceSendsIt() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri("/v1/orders/3:watch")).build();
        var pending = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        // the answer's head goes out with the first message: feed it once the call reached an instance
        GrpcOrdersBackend instance = watched();
        instance.emit(OrderStatus.CREATED);
        HttpResponse<java.io.InputStream> answer = pending.get(5, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).contains("application/x-ndjson");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
            assertThat(JSON.readTree(lines.readLine()).at("/order/status").asText()).isEqualTo("CREATED");
            // the first line was read before the instance sent the second: nothing waited to fill a buffer
            instance.emit(OrderStatus.PAID);
            assertThat(JSON.readTree(lines.readLine()).at("/order/status").asText()).isEqualTo("PAID");
            instance.emit(Status.UNAVAILABLE.withDescription("shutting down"));
            JsonNode error = JSON.readTree(lines.readLine());
            assertThat(error.at("/error/type").asText()).endsWith("/grpc-unavailable");
            assertThat(error.at("/error/detail").asText()).isEqualTo("shutting down");
            assertThat(lines.readLine()).isNull();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> metric(scrape(gateway), "gateway_requests_total",
                Map.of("route", "orders-grpc", "method", "GET", "status_class", "2xx")).orElse(0) >= 1);
    }

    @Test
    void aClientThatAcceptsAnEventStreamGetsOneEventPerMessage() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri("/v1/orders/4:watch"))
                .header("Accept", "text/event-stream").build();
        var pending = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        GrpcOrdersBackend instance = watched();
        instance.emit(OrderStatus.SHIPPED);
        instance.emit(Status.OK);
        HttpResponse<java.io.InputStream> answer = pending.get(5, TimeUnit.SECONDS);
        assertThat(answer.headers().firstValue("Content-Type")).contains("text/event-stream");
        String body = new String(answer.body().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(body).startsWith("data: {\"order\":{\"id\":\"4\"").endsWith("}}\n\n").contains("SHIPPED");
        assertThat(body.split("\n\n")).hasSize(1);
    }

    @Test
    void aClientLeavingAStreamCancelsTheCallOnTheInstance() throws Exception {
        int before = a.cancelled() + b.cancelled();
        HttpRequest request = HttpRequest.newBuilder(uri("/v1/orders/5:watch")).build();
        var pending = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        GrpcOrdersBackend instance = watched();
        instance.emit(OrderStatus.CREATED);
        HttpResponse<java.io.InputStream> answer = pending.get(5, TimeUnit.SECONDS);
        answer.body().read();
        answer.body().close();
        // the gateway finds out when it writes next
        instance.emit(OrderStatus.PAID);
        instance.emit(OrderStatus.PAID);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.cancelled() + b.cancelled() > before);
    }

    /** The instance the one watch of the test went to, once it got there. */
    private static GrpcOrdersBackend watched() {
        await().atMost(Duration.ofSeconds(5)).until(() -> a.received().size() + b.received().size() == 1);
        return a.received().isEmpty() ? b : a;
    }

    private static GrpcOrdersBackend.Received onlyReceived() {
        List<GrpcOrdersBackend.Received> all = new java.util.ArrayList<>(a.received());
        all.addAll(b.received());
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    private static void assertProblem(HttpResponse<String> answer, int status, String type, String detail)
            throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.get("type").asText()).isEqualTo("https://refgateway.dev/problems/" + type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).contains(detail);
    }

    private static HttpResponse<String> send(String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        if (body != null && java.util.Arrays.stream(headers).noneMatch("Content-Type"::equalsIgnoreCase)) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    private static String sha256(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                                          .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Metadata.Key<String> key(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }
}
