package dev.refgateway.orders;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import dev.refgateway.orders.grpc.v1.CreateOrderRequest;
import dev.refgateway.orders.grpc.v1.GetOrderRequest;
import dev.refgateway.orders.grpc.v1.ListOrdersRequest;
import dev.refgateway.orders.grpc.v1.ListOrdersResponse;
import dev.refgateway.orders.grpc.v1.OrderEvent;
import dev.refgateway.orders.grpc.v1.OrderItem;
import dev.refgateway.orders.grpc.v1.OrdersGrpc;
import dev.refgateway.orders.grpc.v1.WatchOrderRequest;
import dev.refgateway.support.http.PageRequest;
import dev.refgateway.support.json.JsonBodies;
import dev.refgateway.support.problem.ProblemException;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * order-service's gRPC API ({@code protos/src/main/proto/refgateway/orders/v1/orders.proto}), over the same storage
 * and rules as the HTTP API ({@link OrderService}): the same validation and messages, the same user check. A refusal
 * leaves as the gRPC status matching the HTTP one ({@link GrpcStatuses}).
 * <pre>
 * grpcurl -plaintext -d '{"id": 1}' localhost:9083 refgateway.orders.v1.Orders/GetOrder
 * </pre>
 */
final class OrdersGrpcService extends OrdersGrpc.OrdersImplBase {

    /** How often a watch looks at the order (in the database, so a change made by another instance is seen). */
    static final Duration WATCH_POLL = Duration.ofMillis(200);

    private final OrderRepository orders;
    private final UserDirectory users;
    private final Clock clock;

    OrdersGrpcService(OrderRepository orders, UserDirectory users, Clock clock) {
        this.orders = Objects.requireNonNull(orders, "orders");
        this.users = Objects.requireNonNull(users, "users");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void getOrder(GetOrderRequest request, StreamObserver<dev.refgateway.orders.grpc.v1.Order> response) {
        answer(response, () -> OrderProtos.of(find(request.getId())));
    }

    @Override
    public void listOrders(ListOrdersRequest request, StreamObserver<ListOrdersResponse> response) {
        answer(response, () -> {
            if (request.getUserId() < 1) {
                throw ProblemException.badRequest("userId: " + request.getUserId() + " (expected: a positive integer)");
            }
            int size = request.getPageSize() == 0 ? PageRequest.DEFAULT_LIMIT : request.getPageSize();
            if (size < 1 || size > PageRequest.MAX_LIMIT) {
                throw ProblemException.badRequest("pageSize: " + request.getPageSize() + " (expected: 1 to "
                                                          + PageRequest.MAX_LIMIT + ", or 0 for "
                                                          + PageRequest.DEFAULT_LIMIT + ")");
            }
            if (request.getOffset() < 0) {
                throw ProblemException.badRequest("offset: " + request.getOffset() + " (expected: >= 0)");
            }
            OptionalLong user = OptionalLong.of(request.getUserId());
            List<Order> page = orders.list(new OrderQuery(user, new PageRequest(size, request.getOffset())));
            return ListOrdersResponse.newBuilder()
                    .addAllOrders(page.stream().map(OrderProtos::of).toList())
                    .setTotal(orders.count(user))
                    .build();
        });
    }

    @Override
    public void createOrder(CreateOrderRequest request, StreamObserver<dev.refgateway.orders.grpc.v1.Order> response) {
        answer(response, () -> {
            NewOrder order = NewOrder.fromJson(asJson(request));
            UserCheck.require(users, order.userId());
            return OrderProtos.of(orders.create(order, OrderService.now(clock)));
        });
    }

    /**
     * The order now, then each change of its status, until it is final or the caller cancels. Blocking: Helidon runs
     * each call on a virtual thread of its own.
     */
    @Override
    public void watchOrder(WatchOrderRequest request, StreamObserver<OrderEvent> response) {
        ServerCallStreamObserver<OrderEvent> call = (ServerCallStreamObserver<OrderEvent>) response;
        Order last;
        try {
            last = find(request.getId());
        } catch (ProblemException e) {
            response.onError(GrpcStatuses.of(e));
            return;
        }
        try {
            call.onNext(event(last));
            while (!last.status().isFinal()) {
                Thread.sleep(WATCH_POLL);
                if (call.isCancelled()) {
                    return;
                }
                Optional<Order> now = orders.find(last.id());
                if (now.isEmpty()) {
                    response.onError(GrpcStatuses.of(OrderService.notFound(last.id())));
                    return;
                }
                if (now.get().status() != last.status() || !now.get().updatedAt().equals(last.updatedAt())) {
                    last = now.get();
                    call.onNext(event(last));
                }
            }
            call.onCompleted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.onError(Status.CANCELLED.withDescription("the server is stopping").asRuntimeException());
        } catch (StatusRuntimeException e) {
            // the caller went away while an event was on its way
        }
    }

    private Order find(long id) {
        return orders.find(id).orElseThrow(() -> OrderService.notFound(id));
    }

    private static OrderEvent event(Order order) {
        return OrderEvent.newBuilder().setOrder(OrderProtos.of(order)).build();
    }

    /**
     * The request in the HTTP API's JSON shape, so that {@link NewOrder#fromJson} validates it with the same rules
     * and messages; a unit price that is not a decimal number is refused here.
     */
    private static ObjectNode asJson(CreateOrderRequest request) {
        ObjectNode json = JsonBodies.mapper().createObjectNode();
        json.put("userId", request.getUserId());
        ArrayNode items = json.putArray("items");
        for (int i = 0; i < request.getItemsCount(); i++) {
            OrderItem item = request.getItems(i);
            BigDecimal price;
            try {
                price = new BigDecimal(item.getUnitPrice());
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("items[" + i + "].unitPrice: \"" + item.getUnitPrice()
                                                          + "\" (expected: a decimal number such as \"9.99\")");
            }
            items.addObject().put("sku", item.getSku()).put("quantity", item.getQuantity()).put("unitPrice", price);
        }
        return json;
    }

    private static <T> void answer(StreamObserver<T> response, Answer<T> answer) {
        T value;
        try {
            value = answer.get();
        } catch (ProblemException e) {
            response.onError(GrpcStatuses.of(e));
            return;
        }
        response.onNext(value);
        response.onCompleted();
    }

    @FunctionalInterface
    private interface Answer<T> {
        T get();
    }
}
