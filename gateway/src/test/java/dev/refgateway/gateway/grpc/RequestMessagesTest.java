package dev.refgateway.gateway.grpc;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.refgateway.orders.grpc.v1.CreateOrderRequest;
import dev.refgateway.orders.grpc.v1.ListOrdersRequest;

import com.google.protobuf.DynamicMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Request messages built from the sample API's own rules (the descriptor set the gateway ships). */
class RequestMessagesTest {

    private static final GrpcApis APIS = GrpcApis.load(List.of("classpath:grpc/refgateway.pb"));
    private static final List<HttpBinding> ORDERS = APIS.bindings("refgateway.orders.v1.Orders").orElseThrow();

    @Test
    void theRulesOfTheServiceAreReadMostSpecificFirst() {
        // more literal segments (a verb counts) first; among equals, the order of the .proto
        assertThat(ORDERS).extracting(b -> b.httpMethod().text() + " " + b.template()).containsExactly(
                "GET /v1/users/{user_id}/orders", "GET /v1/orders/{id}:watch", "GET /v1/orders/{id}",
                "POST /v1/orders");
    }

    @Test
    void theQueryFillsWhatThePathDoesNot() throws Exception {
        HttpBinding list = binding("ListOrders");

        ListOrdersRequest request = ListOrdersRequest.parseFrom(RequestMessages.build(
                list, Map.of("user_id", "7"), "pageSize=5&offset=10", new byte[0], APIS.parser()).toByteArray());

        assertThat(request).isEqualTo(ListOrdersRequest.newBuilder().setUserId(7).setPageSize(5).setOffset(10).build());
    }

    @Test
    void aStarBodyIsTheWholeMessageInProtobufsJsonMapping() throws Exception {
        byte[] body = "{\"user_id\": 3, \"items\": [{\"sku\": \"A\", \"quantity\": \"2\", \"unitPrice\": \"1.50\"}]}"
                .getBytes(StandardCharsets.UTF_8);

        CreateOrderRequest request = CreateOrderRequest.parseFrom(
                RequestMessages.build(binding("CreateOrder"), Map.of(), null, body, APIS.parser()).toByteArray());

        assertThat(request.getUserId()).isEqualTo(3);
        assertThat(request.getItems(0).getQuantity()).isEqualTo(2);
        assertThat(request.getItems(0).getUnitPrice()).isEqualTo("1.50");
    }

    @Test
    void whatCannotBeTranslatedIsNamed() {
        assertRefused(binding("GetOrder"), Map.of("id", "x"), null, "", "path variable id");
        assertRefused(binding("GetOrder"), Map.of("id", "1"), "nope=1", "", "query parameter nope");
        assertRefused(binding("GetOrder"), Map.of("id", "1"), "%zz=1", "", "valid percent-encoding");
        assertRefused(binding("GetOrder"), Map.of("id", "1"), null, "{}", "a request body (expected: none");
        assertRefused(binding("ListOrders"), Map.of("user_id", "1"), "offset=1&offset=2", "", "given 2 times");
        assertRefused(binding("CreateOrder"), Map.of(), "user_id=1", "{}", "query parameters [user_id]");
        assertRefused(binding("CreateOrder"), Map.of(), null, "[1]", "the body");
        assertRefused(binding("CreateOrder"), Map.of(), null, "{\"userId\": 1", "expected: JSON");
        assertRefused(binding("CreateOrder"), Map.of(), null, "{\"userId\": 1}{}", "expected: JSON");
        assertRefused(binding("CreateOrder"), Map.of(), null, "{\"userId\": 1, \"userId\": 2}", "Duplicate field");
        assertRefused(binding("ListOrders"), Map.of("user_id", "1"), "userId=2", "", "the path binds");
        assertRefused(binding("ListOrders"), Map.of("user_id", "1"), "page_size=1&pageSize=2", "", "given 2 times");
    }

    @Test
    void anEmptyStarBodyIsAnEmptyMessage() throws Exception {
        DynamicMessage message = RequestMessages.build(binding("CreateOrder"), Map.of(), null, new byte[0],
                                                       APIS.parser());

        assertThat(CreateOrderRequest.parseFrom(message.toByteArray())).isEqualTo(CreateOrderRequest.getDefaultInstance());
    }

    private static void assertRefused(HttpBinding binding, Map<String, String> path, String query, String body,
                                      String message) {
        assertThatThrownBy(() -> RequestMessages.build(binding, path, query, body.getBytes(StandardCharsets.UTF_8),
                                                       APIS.parser()))
                .isInstanceOf(RequestMessages.InvalidRequest.class).hasMessageContaining(message);
    }

    private static HttpBinding binding(String method) {
        return ORDERS.stream().filter(b -> b.method().getName().equals(method)).findFirst().orElseThrow();
    }
}
