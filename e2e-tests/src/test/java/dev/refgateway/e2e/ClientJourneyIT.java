package dev.refgateway.e2e;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.refgateway.e2e.client.AdminApi;
import dev.refgateway.e2e.client.ApiClient;
import dev.refgateway.e2e.client.Reply;
import dev.refgateway.e2e.stack.Stack;
import dev.refgateway.e2e.stack.StackExtension;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a client of the whole stack sees, through the gateway's port only: the user → order journey, the
 * problem+json errors of the services and of the gateway, load spread over both instances of each service, the
 * API keys of a protected route, a rate-limited route, and the gateway's metrics counting it all. One stack for the
 * class: nothing here breaks it.
 */
class ClientJourneyIT {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEMS = "https://refgateway.dev/problems/";

    @RegisterExtension
    static final StackExtension STACK = new StackExtension();

    private ApiClient gateway;

    @BeforeEach
    void clients() {
        gateway = STACK.stack().gateway();
    }

    /** The same orders over order-service's gRPC API, which the gateway translates from HTTP/JSON. */
    @Test
    void anOrderPlacedThroughTheGrpcTranslationIsTheOneTheHttpApiServes() {
        long userId = gateway.post("/users", Fixtures.userJson("Ada Lovelace", Fixtures.uniqueEmail()))
                .json().path("id").asLong();
        // order-service-grpc's instances pass their gRPC health check a moment after the HTTP ones
        Reply created = await().atMost(Duration.ofSeconds(30)).until(() -> gateway.post("/v1/orders",
                "{\"userId\":\"" + userId + "\",\"items\":[{\"sku\":\"BOOK-1\",\"quantity\":3,"
                        + "\"unitPrice\":\"19.99\"}]}"), reply -> reply.status() == 200);
        assertThat(created.contentType()).startsWith("application/json");
        assertThat(created.json().path("total").asText()).isEqualTo("59.97");
        assertThat(created.header("x-instance-id")).hasValueSatisfying(id -> assertThat(id).endsWith("-grpc"));
        String orderId = created.json().path("id").asText();

        Reply translated = gateway.get("/v1/orders/" + orderId);
        assertThat(translated.status()).as("%s", translated).isEqualTo(200);
        assertThat(translated.json().path("status").asText()).isEqualTo("CREATED");
        Reply http = gateway.get("/orders/" + orderId);
        assertThat(http.status()).as("%s", http).isEqualTo(200);
        assertThat(http.json().path("total").asText()).isEqualTo("59.97");

        Reply missing = gateway.get("/v1/orders/999999999");
        assertThat(missing.status()).as("%s", missing).isEqualTo(404);
        assertThat(missing.json().path("type").asText()).isEqualTo(PROBLEMS + "grpc-not-found");
    }

    @Test
    void userOrdersPaysShipsAndReadsBackThroughTheGateway() {
        String email = Fixtures.uniqueEmail();
        Reply user = gateway.post("/users", Fixtures.userJson("Grace Hopper", email));
        assertThat(user.status()).as("%s", user).isEqualTo(201);
        long userId = user.json().path("id").asLong();
        assertThat(user.header("Location")).contains("/users/" + userId);
        assertThat(user.json().path("email").asText()).isEqualTo(email);

        Reply readUser = gateway.get("/users/" + userId);
        assertThat(readUser.status()).as("%s", readUser).isEqualTo(200);
        assertThat(readUser.json().path("name").asText()).isEqualTo("Grace Hopper");

        // 3 x 19.99 + 2 x 1.05 = 62.07: exact decimals, sent as a string.
        Reply order = gateway.post("/orders", "{\"userId\":" + userId + ",\"items\":["
                + "{\"sku\":\"BOOK-1\",\"quantity\":3,\"unitPrice\":19.99},"
                + "{\"sku\":\"PEN-2\",\"quantity\":2,\"unitPrice\":1.05}]}");
        assertThat(order.status()).as("%s", order).isEqualTo(201);
        long orderId = order.json().path("id").asLong();
        assertThat(order.header("Location")).contains("/orders/" + orderId);
        assertThat(order.json().path("status").asText()).isEqualTo("CREATED");
        assertThat(order.json().path("total").asText()).isEqualTo("62.07");
        assertThat(order.json().path("items").get(0).path("lineTotal").asText()).isEqualTo("59.97");

        Reply paid = gateway.post("/orders/" + orderId + "/pay", null);
        assertThat(paid.status()).as("%s", paid).isEqualTo(200);
        assertThat(paid.json().path("status").asText()).isEqualTo("PAID");

        Reply shipped = gateway.post("/orders/" + orderId + "/ship", null);
        assertThat(shipped.status()).as("%s", shipped).isEqualTo(200);
        assertThat(shipped.json().path("status").asText()).isEqualTo("SHIPPED");

        Reply readBack = gateway.get("/orders/" + orderId);
        assertThat(readBack.status()).as("%s", readBack).isEqualTo(200);
        assertThat(readBack.json().path("status").asText()).isEqualTo("SHIPPED");
        assertThat(readBack.json().path("total").asText()).isEqualTo("62.07");
        assertThat(readBack.json().path("userId").asLong()).isEqualTo(userId);

        Reply list = gateway.get("/orders?userId=" + userId);
        assertThat(list.status()).as("%s", list).isEqualTo(200);
        assertThat(list.json().path("total").asLong()).isEqualTo(1);
        assertThat(list.json().path("items").get(0).path("id").asLong()).isEqualTo(orderId);
        assertThat(list.json().path("items").get(0).path("status").asText()).isEqualTo("SHIPPED");
    }

    @Test
    void duplicateEmailIsA409Problem() {
        String email = Fixtures.uniqueEmail();
        assertThat(gateway.post("/users", Fixtures.userJson("First", email)).status()).isEqualTo(201);

        Reply duplicate = gateway.post("/users", Fixtures.userJson("Second", email.toUpperCase()));

        assertProblem(duplicate, 409, PROBLEMS + "conflict");
        assertThat(duplicate.json().path("detail").asText()).contains(email).contains("already taken");
    }

    @Test
    void invalidBodyIsA400ProblemNamingTheField() {
        long userId = Fixtures.createUser(gateway);

        Reply badQuantity = gateway.post("/orders", "{\"userId\":" + userId
                + ",\"items\":[{\"sku\":\"BOOK-1\",\"quantity\":0,\"unitPrice\":19.99}]}");
        Reply missingEmail = gateway.post("/users", "{\"name\":\"No Mail\"}");

        assertProblem(badQuantity, 400, PROBLEMS + "invalid-request");
        assertThat(badQuantity.json().path("detail").asText()).startsWith("items[0].quantity: 0");
        assertProblem(missingEmail, 400, PROBLEMS + "invalid-request");
        assertThat(missingEmail.json().path("detail").asText()).startsWith("email");
    }

    @Test
    void orderForAnUnknownUserIsA422Problem() {
        Reply order = gateway.post("/orders", "{\"userId\":987654321,"
                + "\"items\":[{\"sku\":\"X-1\",\"quantity\":1,\"unitPrice\":1}]}");

        assertProblem(order, 422, PROBLEMS + "unprocessable");
        assertThat(order.json().path("detail").asText()).startsWith("userId: 987654321");
    }

    @Test
    void unknownRouteIsTheGateways404Problem() {
        Reply reply = gateway.get("/nope/42");

        assertProblem(reply, 404, PROBLEMS + "route-not-found");
        assertThat(reply.json().path("detail").asText()).isEqualTo("No route for GET /nope/42");
        assertThat(reply.instanceId()).as("answered by the gateway, not an instance").isEmpty();
    }

    @Test
    void invalidStatusTransitionIsA409Problem() {
        long orderId = Fixtures.createOrder(gateway, Fixtures.createUser(gateway));

        Reply shipUnpaid = gateway.post("/orders/" + orderId + "/ship", null);
        assertThat(gateway.post("/orders/" + orderId + "/pay", null).status()).isEqualTo(200);
        Reply payTwice = gateway.post("/orders/" + orderId + "/pay", null);

        assertProblem(shipUnpaid, 409, PROBLEMS + "conflict");
        assertThat(shipUnpaid.json().path("detail").asText()).contains("CREATED");
        assertProblem(payTwice, 409, PROBLEMS + "conflict");
        assertThat(payTwice.json().path("detail").asText()).contains("PAID");
    }

    @Test
    void loadSpreadsOverBothInstancesOfEachService() {
        long userId = Fixtures.createUser(gateway);
        long orderId = Fixtures.createOrder(gateway, userId);

        Map<String, Integer> users = answeringInstances("/users/" + userId, 20);
        Map<String, Integer> orders = answeringInstances("/orders/" + orderId, 20);

        // Round robin alternates; "at least 5 of 20" leaves room for the retries and probes of a busy machine.
        assertThat(users).containsOnlyKeys(Stack.instancesOf(Stack.USER_SERVICE));
        assertThat(users.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(5));
        assertThat(orders).containsOnlyKeys(Stack.instancesOf(Stack.ORDER_SERVICE));
        assertThat(orders.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(5));
    }

    @Test
    void protectedRouteRefusesMissingAndUnknownKeysWith401() {
        long userId = Fixtures.createUser(gateway);

        Reply noKey = gateway.get("/secure/users/" + userId);
        Reply unknownKey = gateway.get("/secure/users/" + userId, "X-API-Key", "not-a-configured-key");

        assertThat(noKey.status()).as("%s", noKey).isEqualTo(401);
        assertThat(noKey.header("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Bearer realm=\"refgateway\""));
        assertThat(noKey.instanceId()).as("refused requests never reach an instance").isEmpty();
        assertThat(unknownKey.status()).as("%s", unknownKey).isEqualTo(401);
        assertThat(unknownKey.header("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).contains("error=\"invalid_token\""));
    }

    @Test
    void protectedRouteRefusesAKeyWithoutTheScopeWith403AndServesOneWithIt() {
        String readerKey = STACK.stack().gatewayConfig().readerKey();
        String writerKey = STACK.stack().gatewayConfig().writerKey();
        long userId = Fixtures.createUser(gateway);

        Reply read = gateway.get("/secure/users/" + userId, "X-API-Key", readerKey);
        Reply readerWrites = gateway.post("/secure/users", Fixtures.newUserJson(), "X-API-Key", readerKey);
        Reply writerWrites = gateway.post("/secure/users", Fixtures.newUserJson(), "Authorization", "Bearer " + writerKey);

        assertThat(read.status()).as("%s", read).isEqualTo(200);
        assertThat(read.json().path("id").asLong()).isEqualTo(userId);
        assertThat(readerWrites.status()).as("%s", readerWrites).isEqualTo(403);
        assertThat(readerWrites.header("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).contains("error=\"insufficient_scope\"").contains("users:write"));
        assertThat(readerWrites.instanceId()).as("refused requests never reach an instance").isEmpty();
        assertThat(writerWrites.status()).as("%s", writerWrites).isEqualTo(201);
    }

    @Test
    void callerOverTheRouteRateLimitGets429AndTheRequestNeverReachesAnInstance() {
        long userId = Fixtures.createUser(gateway);
        // Route limited-users (gateway-e2e.yaml): 3 requests at once per caller, then one a minute. This test is
        // its only user in the stack.
        List<Reply> allowed = List.of(gateway.get("/limited/users/" + userId),
                                      gateway.get("/limited/users/" + userId),
                                      gateway.get("/limited/users/" + userId));

        Reply limited = gateway.get("/limited/users/" + userId);

        assertThat(allowed).allSatisfy(reply -> {
            assertThat(reply.status()).as("%s", reply).isEqualTo(200);
            assertThat(reply.header("RateLimit-Limit")).contains("3");
        });
        assertThat(allowed.get(2).header("RateLimit-Remaining")).contains("0");
        assertProblem(limited, 429, PROBLEMS + "rate-limited");
        assertThat(limited.header("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
        assertThat(limited.instanceId()).as("limited requests never reach an instance").isEmpty();
        assertThat(gateway.get("/users/" + userId).status()).as("other routes are not limited").isEqualTo(200);
    }

    @Test
    void gatewayMetricsCountTheRequestsOfEachRoute() {
        AdminApi admin = STACK.stack().admin();
        long userId = Fixtures.createUser(gateway);
        for (int i = 0; i < 5; i++) {
            assertThat(gateway.get("/users/" + userId).status()).isEqualTo(200);
        }
        gateway.get("/nope");

        String metrics = admin.metrics();

        // Counters only grow, and other tests add to them: at least what this test sent.
        assertThat(AdminApi.sum(metrics, "gateway_requests_total",
                                Map.of("route", "users", "method", "GET", "status_class", "2xx")))
                .as("GET /users 2xx in:\n%s", grep(metrics, "gateway_requests_total"))
                .isGreaterThanOrEqualTo(5);
        assertThat(AdminApi.sum(metrics, "gateway_requests_total",
                                Map.of("route", "users", "method", "POST", "status_class", "2xx")))
                .isGreaterThanOrEqualTo(1);
        assertThat(AdminApi.sum(metrics, "gateway_requests_total", Map.of("route", "none", "status_class", "4xx")))
                .as("unmatched requests count under route=\"none\"")
                .isGreaterThanOrEqualTo(1);
        assertThat(AdminApi.sum(metrics, "gateway_upstream_healthy_instances", Map.of("service", "user-service")))
                .isEqualTo(2);
    }

    private Map<String, Integer> answeringInstances(String path, int requests) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < requests; i++) {
            Reply reply = gateway.get(path);
            assertThat(reply.status()).as("%s", reply).isEqualTo(200);
            counts.merge(reply.instanceId(), 1, Integer::sum);
        }
        return counts;
    }

    private static void assertProblem(Reply reply, int status, String type) {
        assertThat(reply.status()).as("%s", reply).isEqualTo(status);
        assertThat(reply.contentType()).as("%s", reply).startsWith(PROBLEM_JSON);
        JsonNode problem = reply.json();
        assertThat(problem.path("type").asText()).as("%s", reply).isEqualTo(type);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asText()).isNotBlank();
    }

    private static String grep(String text, String prefix) {
        return String.join("\n", List.of(text.split("\n")).stream().filter(l -> l.startsWith(prefix)).toList());
    }
}
