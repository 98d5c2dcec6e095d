package dev.refgateway.orders;

import java.util.Collections;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.refgateway.support.SampleService;
import dev.refgateway.support.db.Database;
import dev.refgateway.support.json.JsonBodies;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The exact routing of order-service, without sockets, with a real H2 database and a fake user directory. */
@RoutingTest
class OrderServiceTest {

    private static final long UNKNOWN_USER = 404;
    private static final long USER_OF_UNAVAILABLE_DIRECTORY = 503;
    private static final AtomicInteger LOOKUPS = new AtomicInteger();
    private static Database database;

    private final DirectClient client;

    OrderServiceTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        database = TestDatabases.create();
        SampleService.testRouting(routing);
        Main.routing(routing, database.dataSource(), OrderServiceTest::userExists);
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @BeforeEach
    void resetLookups() {
        LOOKUPS.set(0);
    }

    @Test
    void createdOrderHasLocationAndExactTotalsAsStrings() {
        Reply reply = post("/orders", """
                {"userId": 1, "items": [{"sku": "PEN", "quantity": 3, "unitPrice": 0.10},
                                        {"sku": "BOOK", "quantity": 3, "unitPrice": 19.99}]}""");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.contentType()).isEqualTo("application/json");
        long id = reply.body().get("id").asLong();
        assertThat(reply.location()).isEqualTo("/orders/" + id);
        assertThat(reply.body().get("userId").asLong()).isEqualTo(1);
        assertThat(reply.body().get("status").asText()).isEqualTo("CREATED");
        assertThat(reply.body().get("total").isTextual()).isTrue();
        assertThat(reply.body().get("total").asText()).isEqualTo("60.27");
        JsonNode items = reply.body().get("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("sku").asText()).isEqualTo("PEN");
        assertThat(items.get(0).get("quantity").asInt()).isEqualTo(3);
        assertThat(items.get(0).get("unitPrice").asText()).isEqualTo("0.10");
        assertThat(items.get(0).get("lineTotal").asText()).isEqualTo("0.30");
        assertThat(items.get(1).get("lineTotal").asText()).isEqualTo("59.97");
        assertThat(reply.body().get("createdAt").asText()).isEqualTo(reply.body().get("updatedAt").asText());
        assertThat(LOOKUPS).hasValue(1);
    }

    @Test
    void priceWithTrailingZerosIsTheSameAmount() {
        Reply reply = post("/orders", """
                {"userId": 1, "items": [{"sku": "A", "quantity": 2, "unitPrice": 19.900}]}""");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.body().get("items").get(0).get("unitPrice").asText()).isEqualTo("19.90");
        assertThat(reply.body().get("total").asText()).isEqualTo("39.80");
    }

    @Test
    void orderForUnknownUserIsUnprocessableAndNamesTheUser() {
        Reply reply = post("/orders", order(UNKNOWN_USER));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.body().get("status").asInt()).isEqualTo(422);
        assertThat(reply.body().get("detail").asText()).contains("userId: " + UNKNOWN_USER)
                .contains("does not know user " + UNKNOWN_USER);
        assertThat(list("userId", String.valueOf(UNKNOWN_USER)).body().get("total").asLong()).isZero();
    }

    @Test
    void orderWhileUserDirectoryIsUnavailableIs503AndStoresNothing() {
        Reply reply = post("/orders", order(USER_OF_UNAVAILABLE_DIRECTORY));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.body().get("type").asText()).endsWith("/dependency-unavailable");
        assertThat(reply.body().get("detail").asText())
                .isEqualTo("user-service unavailable: no passing instance");
        assertThat(list("userId", String.valueOf(USER_OF_UNAVAILABLE_DIRECTORY)).body().get("total").asLong()).isZero();
    }

    static Stream<Arguments> invalidOrders() {
        String hundredAndOneItems = "[" + String.join(",", Collections.nCopies(
                101, "{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1}")) + "]";
        return Stream.of(
                Arguments.of("{\"userId\": 1}", "items: missing (required)"),
                Arguments.of("{\"userId\": 1, \"items\": []}", "items: [] (expected: 1 to 100 items)"),
                Arguments.of("{\"userId\": 1, \"items\": " + hundredAndOneItems + "}",
                             "items: 101 items (expected: at most 100)"),
                Arguments.of("{\"userId\": 1, \"items\": {}}", "items: {} (expected: an array)"),
                Arguments.of("{\"userId\": 1, \"items\": [7]}", "items[0]: 7 (expected: an object)"),
                Arguments.of("{\"items\": [{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1}]}",
                             "userId: missing (required)"),
                Arguments.of("{\"userId\": 0, \"items\": [{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1}]}",
                             "userId: 0 (expected: a positive integer)"),
                Arguments.of("{\"userId\": \"1\", \"items\": [{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1}]}",
                             "userId: \"1\" (expected: an integer)"),
                Arguments.of("{\"userId\": 1, \"items\": [{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1},"
                                     + "{\"sku\":\"B\",\"quantity\":0,\"unitPrice\":1}]}",
                             "items[1].quantity: 0 (expected: >= 1)"),
                Arguments.of("{\"userId\": 1, \"items\": [{\"sku\":\"A\",\"quantity\":\"2\",\"unitPrice\":1}]}",
                             "items[0].quantity: \"2\" (expected: an integer)"),
                Arguments.of("{\"userId\": 1, \"items\": [{\"sku\":\"A\",\"quantity\":1.5,\"unitPrice\":1}]}",
                             "items[0].quantity: 1.5 (expected: an integer)"),
                Arguments.of("{\"userId\": 1, \"items\": [{\"sku\":\"A\",\"quantity\":3000000000,\"unitPrice\":1}]}",
                             "items[0].quantity: 3000000000 (expected: <= 1000000)"),
                Arguments.of("{\"userId\": 1, \"items\": [{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":-1.00}]}",
                             "items[0].unitPrice: -1 (expected: >= 0)"),
                Arguments.of("{\"userId\": 1, \"items\": [{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1.005}]}",
                             "items[0].unitPrice: 1.005 (expected: at most 2 decimal places)"),
                Arguments.of("{\"userId\": 1, \"items\": [{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":\"9.99\"}]}",
                             "items[0].unitPrice: \"9.99\" (expected: a number)"),
                Arguments.of("{\"userId\": 1, \"items\": [{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1e400}]}",
                             "items[0].unitPrice: 1E+400 (expected: <= 1000000.00)"),
                Arguments.of("{\"userId\": 1, \"items\": [{\"sku\":\"A\",\"quantity\":1}]}",
                             "items[0].unitPrice: missing (required)"),
                Arguments.of("{\"userId\": 1, \"items\": [{\"sku\":\"  \",\"quantity\":1,\"unitPrice\":1}]}",
                             "items[0].sku: \"  \" (expected: not blank)"),
                Arguments.of("{\"userId\": 1, \"items\": [{\"sku\":\"" + "X".repeat(65)
                                     + "\",\"quantity\":1,\"unitPrice\":1}]}",
                             "items[0].sku: \"" + "X".repeat(39) + "… (expected: at most 64 characters)"),
                Arguments.of("{\"userId\": 1, \"items\": [{\"sku\":\"A\\u0000\",\"quantity\":1,\"unitPrice\":1}]}",
                             "items[0].sku: \"A\\u0000\" (expected: no control characters)"),
                Arguments.of("{\"userId\": 1, \"items\": [{\"sku\":5,\"quantity\":1,\"unitPrice\":1}]}",
                             "items[0].sku: 5 (expected: a string)"));
    }

    @ParameterizedTest
    @MethodSource("invalidOrders")
    void invalidOrderIsRefusedNamingTheFieldPathWithoutAskingUserService(String body, String detail) {
        Reply reply = post("/orders", body);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.body().get("detail").asText()).isEqualTo(detail);
        assertThat(LOOKUPS).hasValue(0);
    }

    @Test
    void malformedJsonIsABadRequest() {
        Reply reply = post("/orders", "{\"userId\": 1, \"items\": [");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.body().get("type").asText()).endsWith("/malformed-json");
        assertThat(reply.body().get("detail").asText()).startsWith("The request body is not valid JSON");
    }

    @Test
    void validationComesBeforeTheUserLookup() {
        Reply reply = post("/orders", "{\"userId\": " + USER_OF_UNAVAILABLE_DIRECTORY + ", \"items\": []}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(LOOKUPS).hasValue(0);
    }

    @Test
    void createdOrderCanBeReadBack() {
        Reply created = post("/orders", order(11));

        Reply read = get(created.location());

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(created.body());
    }

    @Test
    void unknownOrderIsNotFound() {
        Reply reply = get("/orders/999999");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.body().get("detail").asText()).isEqualTo("order 999999: not found");
    }

    @Test
    void nonNumericOrderIdIsABadRequest() {
        Reply reply = get("/orders/abc");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("detail").asText()).isEqualTo("id: \"abc\" (expected: a positive integer)");
    }

    @Test
    void listByUserHasOnlyThatUsersOrdersNewestFirst() {
        long first = post("/orders", order(21)).body().get("id").asLong();
        long second = post("/orders", order(21)).body().get("id").asLong();
        post("/orders", order(22));

        Reply reply = list("userId", "21");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("total").asLong()).isEqualTo(2);
        assertThat(reply.body().get("limit").asInt()).isEqualTo(20);
        assertThat(reply.body().get("offset").asLong()).isZero();
        assertThat(reply.body().get("items").findValues("id")).extracting(JsonNode::asLong)
                .containsExactly(second, first);
        assertThat(reply.body().get("items").get(0).get("total").asText()).isEqualTo("19.98");
    }

    @Test
    void listWithoutUserPagesThroughEveryonesOrders() {
        long newest = post("/orders", order(23)).body().get("id").asLong();

        Reply reply = list("limit", "1", "offset", "0");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("items")).hasSize(1);
        assertThat(reply.body().get("items").get(0).get("id").asLong()).isEqualTo(newest);
        assertThat(reply.body().get("total").asLong()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void badListParametersAreBadRequests() {
        assertThat(list("userId", "abc").body().get("detail").asText())
                .isEqualTo("userId: \"abc\" (expected: a positive integer)");
        assertThat(list("userId", "0").status()).isEqualTo(400);
        assertThat(list("limit", "0").body().get("detail").asText())
                .isEqualTo("limit: \"0\" (expected: an integer from 1 to 100)");
        assertThat(list("limit", "101").status()).isEqualTo(400);
        assertThat(list("offset", "-1").body().get("detail").asText())
                .isEqualTo("offset: \"-1\" (expected: an integer >= 0)");
    }

    @Test
    void paidOrderShipsAndEachStepReturnsTheUpdatedOrder() {
        String path = post("/orders", order(31)).location();

        Reply paid = post(path + "/pay", "");
        Reply shipped = post(path + "/ship", "");

        assertThat(paid.status()).isEqualTo(200);
        assertThat(paid.body().get("status").asText()).isEqualTo("PAID");
        assertThat(shipped.status()).isEqualTo(200);
        assertThat(shipped.body().get("status").asText()).isEqualTo("SHIPPED");
        assertThat(shipped.body().get("total").asText()).isEqualTo("19.98");
        assertThat(get(path).body()).isEqualTo(shipped.body());
    }

    @Test
    void createdAndPaidOrdersCanBeCancelled() {
        String created = post("/orders", order(32)).location();
        String paid = post("/orders", order(32)).location();
        post(paid + "/pay", "");

        assertThat(post(created + "/cancel", "").body().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(post(paid + "/cancel", "").body().get("status").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void shippingAnUnpaidOrderIsAConflictSayingFromWhichStatus() {
        Reply created = post("/orders", order(33));
        long id = created.body().get("id").asLong();

        Reply reply = post(created.location() + "/ship", "");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.body().get("detail").asText())
                .isEqualTo("order " + id + " is CREATED; cannot ship (allowed from PAID)");
        assertThat(get(created.location()).body().get("status").asText()).isEqualTo("CREATED");
    }

    @Test
    void cancellingAShippedOrderIsAConflict() {
        Reply created = post("/orders", order(34));
        long id = created.body().get("id").asLong();
        post(created.location() + "/pay", "");
        post(created.location() + "/ship", "");

        Reply reply = post(created.location() + "/cancel", "");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.body().get("detail").asText())
                .isEqualTo("order " + id + " is SHIPPED; cannot cancel (allowed from CREATED, PAID)");
    }

    @Test
    void payingTwiceIsAConflict() {
        String path = post("/orders", order(35)).location();
        post(path + "/pay", "");

        Reply reply = post(path + "/pay", "");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.body().get("detail").asText()).endsWith("is PAID; cannot pay (allowed from CREATED)");
    }

    @Test
    void actingOnAnUnknownOrderIsNotFound() {
        for (String action : new String[] {"pay", "ship", "cancel"}) {
            Reply reply = post("/orders/999999/" + action, "");

            assertThat(reply.status()).as(action).isEqualTo(404);
            assertThat(reply.body().get("detail").asText()).isEqualTo("order 999999: not found");
        }
    }

    @Test
    void theSameIdempotencyKeyAndBodyAnswerWithTheFirstOrderAndCreateNoOther() {
        String body = order(1);
        long before = count();

        Reply first = postWithKey("/orders", "order-key-1", body);
        Reply again = postWithKey("/orders", "order-key-1", body);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body().get("id")).isEqualTo(first.body().get("id"));
        assertThat(again.location()).isEqualTo(first.location());
        assertThat(count()).isEqualTo(before + 1);
    }

    @Test
    void theSameIdempotencyKeyWithAnotherBodyIsRefusedWith422() {
        assertThat(postWithKey("/orders", "order-key-2", order(1)).status()).isEqualTo(201);

        Reply other = postWithKey("/orders", "order-key-2", order(2));

        assertThat(other.status()).isEqualTo(422);
        assertThat(other.body().get("detail").asText()).contains("order-key-2").contains("another request body");
    }

    @Test
    void aKeyWhoseFirstRequestIsStillInProgressIsAConflict() {
        String body = order(1);
        // another instance took the key for the same body a moment ago and has not finished
        new IdempotencyKeys(database.dataSource()).claim("order-key-3", sha256(body), java.time.Instant.now());

        Reply reply = postWithKey("/orders", "order-key-3", body);

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.body().get("detail").asText()).contains("still being processed");
    }

    @Test
    void aKeyWhoseOrderCouldNotBeCreatedCanBeUsedAgain() {
        Reply refused = postWithKey("/orders", "order-key-4", order(USER_OF_UNAVAILABLE_DIRECTORY));
        long before = count();

        Reply retried = postWithKey("/orders", "order-key-4", order(USER_OF_UNAVAILABLE_DIRECTORY));

        assertThat(refused.status()).isEqualTo(503);
        assertThat(retried.status()).isEqualTo(503);
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void aMalformedIdempotencyKeyIsRefusedWith400() {
        Reply reply = postWithKey("/orders", "x".repeat(300), order(1));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("detail").asText()).contains("Idempotency-Key");
    }

    private long count() {
        return list("limit", "1").body().get("total").asLong();
    }

    private static String sha256(String body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Reply postWithKey(String path, String key, String json) {
        try (Http1ClientResponse res = client.post(path).header(HeaderValues.CONTENT_TYPE_JSON)
                .header(OrderService.IDEMPOTENCY_KEY, key).submit(json)) {
            return Reply.of(res);
        }
    }

    private static boolean userExists(long userId) {
        LOOKUPS.incrementAndGet();
        if (userId == USER_OF_UNAVAILABLE_DIRECTORY) {
            throw new UserDirectoryUnavailableException("user-service", "no passing instance");
        }
        return userId != UNKNOWN_USER;
    }

    private static String order(long userId) {
        return "{\"userId\": " + userId + ", \"items\": [{\"sku\": \"A\", \"quantity\": 2, \"unitPrice\": 9.99}]}";
    }

    private Reply post(String path, String json) {
        try (Http1ClientResponse res = client.post(path).header(HeaderValues.CONTENT_TYPE_JSON).submit(json)) {
            return Reply.of(res);
        }
    }

    private Reply get(String path) {
        try (Http1ClientResponse res = client.get(path).request()) {
            return Reply.of(res);
        }
    }

    /** {@code GET /orders} with query parameters given as name, value, name, value... */
    private Reply list(String... nameValues) {
        var request = client.get("/orders");
        for (int i = 0; i < nameValues.length; i += 2) {
            request.queryParam(nameValues[i], nameValues[i + 1]);
        }
        try (Http1ClientResponse res = request.request()) {
            return Reply.of(res);
        }
    }

    /** What a test needs of a response, read before the response is closed. */
    record Reply(int status, String contentType, String location, JsonNode body) {

        static Reply of(Http1ClientResponse res) {
            String text = res.as(String.class);
            JsonNode body;
            try {
                body = text.isEmpty() ? null : JsonBodies.mapper().readTree(text);
            } catch (java.io.IOException e) {
                throw new AssertionError("Not JSON: " + text, e);
            }
            return new Reply(res.status().code(),
                             res.headers().contentType().map(type -> type.mediaType().text()).orElse(""),
                             res.headers().first(HeaderNames.LOCATION).orElse(null),
                             body);
        }
    }
}
