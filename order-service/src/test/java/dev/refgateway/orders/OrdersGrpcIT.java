package dev.refgateway.orders;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.orders.grpc.v1.CreateOrderRequest;
import dev.refgateway.orders.grpc.v1.GetOrderRequest;
import dev.refgateway.orders.grpc.v1.ListOrdersRequest;
import dev.refgateway.orders.grpc.v1.ListOrdersResponse;
import dev.refgateway.orders.grpc.v1.Order;
import dev.refgateway.orders.grpc.v1.OrderEvent;
import dev.refgateway.orders.grpc.v1.OrderItem;
import dev.refgateway.orders.grpc.v1.OrderStatus;
import dev.refgateway.orders.grpc.v1.OrdersGrpc;
import dev.refgateway.orders.grpc.v1.WatchOrderRequest;
import dev.refgateway.support.RunningService;

import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.model.health.ServiceHealth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * order-service's gRPC API, started as in production (both APIs, registered in Consul) and called over a socket by
 * grpc-java's own client; a fake user-service that knows only user 1.
 */
class OrdersGrpcIT {

    private static final List<String> HITS = Collections.synchronizedList(new ArrayList<>());
    private static final Metadata.Key<String> INSTANCE_ID = Metadata.Key.of("x-instance-id",
                                                                            Metadata.ASCII_STRING_MARSHALLER);

    private static Consul consul;
    private static FakeUserService users;
    private static RunningService orderService;
    private static ManagedChannel channel;
    private static OrdersGrpc.OrdersBlockingStub orders;

    @BeforeAll
    static void start() {
        ConsulAgent agent = ConsulAgent.shared();
        consul = agent.client();
        users = FakeUserService.start(consul, "grpc-it-users", "grpc-it-users-1", HITS,
                                      FakeUserService.knowsOnlyUserOne());
        orderService = TestOrderService.start(agent.url(), "orders-grpc-it", Map.of(
                "instance.id", "orders-grpc-it",
                "users.service", "grpc-it-users"));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", orderService.grpcPort()).usePlaintext().build();
        orders = OrdersGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        // order-service's watch of the users' service may lag: wait until an order can be placed.
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                .until(() -> orders.createOrder(newOrder(1, "9.99")).getId() > 0);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (orderService != null) {
            orderService.shutdown();
        }
        if (users != null) {
            users.close();
        }
        if (consul != null) {
            consul.destroy();
        }
    }

    @Test
    void theGrpcApiIsRegisteredApartAndConsulsGrpcCheckPassesItsHealthService() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<ServiceHealth> passing = consul.healthClient()
                    .getHealthyServiceInstances(Main.SERVICE_NAME + "-grpc").getResponse();
            assertThat(passing).singleElement().satisfies(health -> {
                assertThat(health.getService().getId()).isEqualTo("orders-grpc-it-grpc");
                assertThat(health.getService().getPort()).isEqualTo(orderService.grpcPort());
            });
        });
    }

    @Test
    void anOrderCreatedOverGrpcIsTheOneTheHttpApiServes() throws Exception {
        AtomicReference<Metadata> headers = new AtomicReference<>();
        Order created = OrdersGrpc.newBlockingStub(ClientInterceptors.intercept(
                        channel, MetadataUtils.newCaptureMetadataInterceptor(headers, new AtomicReference<>())))
                .createOrder(CreateOrderRequest.newBuilder()
                                     .setUserId(1)
                                     .addItems(OrderItem.newBuilder().setSku("BOOK-1").setQuantity(3)
                                                       .setUnitPrice("19.99"))
                                     .build());
        assertThat(created.getStatus()).isEqualTo(OrderStatus.CREATED);
        assertThat(created.getTotal()).isEqualTo("59.97");
        assertThat(created.getItems(0).getLineTotal()).isEqualTo("59.97");
        assertThat(headers.get().get(INSTANCE_ID)).isEqualTo("orders-grpc-it-grpc");

        assertThat(orders.getOrder(GetOrderRequest.newBuilder().setId(created.getId()).build())).isEqualTo(created);
        HttpResponse<String> http = http("GET", "/orders/" + created.getId());
        assertThat(http.statusCode()).isEqualTo(200);
        assertThat(http.body()).contains("\"total\":\"59.97\"", "\"sku\":\"BOOK-1\"");
    }

    @Test
    void aUsersOrdersComeNewestFirstAPageAtATime() {
        Order first = orders.createOrder(newOrder(1, "1.00"));
        Order second = orders.createOrder(newOrder(1, "2.00"));

        ListOrdersResponse page = orders.listOrders(ListOrdersRequest.newBuilder().setUserId(1).setPageSize(2).build());
        assertThat(page.getOrdersList()).extracting(Order::getId).containsExactly(second.getId(), first.getId());
        assertThat(page.getTotal()).isGreaterThanOrEqualTo(2);
        ListOrdersResponse next = orders.listOrders(ListOrdersRequest.newBuilder().setUserId(1).setPageSize(1)
                                                            .setOffset(1).build());
        assertThat(next.getOrdersList()).extracting(Order::getId).containsExactly(first.getId());
    }

    @Test
    void refusalsCarryTheStatusAndTheMessageOfTheHttpApi() {
        assertStatus(() -> orders.getOrder(GetOrderRequest.newBuilder().setId(999_999).build()),
                     Status.Code.NOT_FOUND, "order 999999: not found");
        assertStatus(() -> orders.createOrder(newOrder(1, "1.005")), Status.Code.INVALID_ARGUMENT,
                     "items[0].unitPrice: 1.005 (expected: at most 2 decimal places)");
        assertStatus(() -> orders.createOrder(newOrder(1, "nine")), Status.Code.INVALID_ARGUMENT,
                     "items[0].unitPrice: \"nine\" (expected: a decimal number such as \"9.99\")");
        assertStatus(() -> orders.createOrder(CreateOrderRequest.newBuilder().setUserId(1).build()),
                     Status.Code.INVALID_ARGUMENT, "items: [] (expected: 1 to 100 items)");
        assertStatus(() -> orders.createOrder(newOrder(2, "1.00")), Status.Code.FAILED_PRECONDITION,
                     "userId: 2 (expected: an existing user");
        assertStatus(() -> orders.listOrders(ListOrdersRequest.newBuilder().setUserId(1).setPageSize(101).build()),
                     Status.Code.INVALID_ARGUMENT, "pageSize: 101 (expected: 1 to 100, or 0 for 20)");
    }

    @Test
    void aWatchStreamsTheStatusNowThenEachChangeAndEndsWhenTheOrderIsFinal() throws Exception {
        Order order = orders.createOrder(newOrder(1, "5.00"));
        Iterator<OrderEvent> events = orders.watchOrder(WatchOrderRequest.newBuilder().setId(order.getId()).build());

        assertThat(events.next().getOrder().getStatus()).isEqualTo(OrderStatus.CREATED);
        assertThat(http("POST", "/orders/" + order.getId() + "/pay").statusCode()).isEqualTo(200);
        assertThat(events.next().getOrder().getStatus()).isEqualTo(OrderStatus.PAID);
        assertThat(http("POST", "/orders/" + order.getId() + "/ship").statusCode()).isEqualTo(200);
        OrderEvent shipped = events.next();
        assertThat(shipped.getOrder().getStatus()).isEqualTo(OrderStatus.SHIPPED);
        assertThat(shipped.getOrder().getUpdatedAt()).isNotEqualTo(order.getUpdatedAt());
        assertThat(events.hasNext()).as("the stream ends once the order is final").isFalse();

        assertThatThrownBy(() -> orders.watchOrder(WatchOrderRequest.newBuilder().setId(999_999).build()).next())
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    private static void assertStatus(Runnable call, Status.Code code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).startsWith(message);
        });
    }

    private static CreateOrderRequest newOrder(long userId, String unitPrice) {
        return CreateOrderRequest.newBuilder()
                .setUserId(userId)
                .addItems(OrderItem.newBuilder().setSku("SKU-1").setQuantity(1).setUnitPrice(unitPrice))
                .build();
    }

    private static HttpResponse<String> http(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + orderService.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .build();
        try (HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
