package dev.refgateway.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.refgateway.orders.grpc.v1.CreateOrderRequest;
import dev.refgateway.orders.grpc.v1.GetOrderRequest;
import dev.refgateway.orders.grpc.v1.ListOrdersRequest;
import dev.refgateway.orders.grpc.v1.ListOrdersResponse;
import dev.refgateway.orders.grpc.v1.Order;
import dev.refgateway.orders.grpc.v1.OrderEvent;
import dev.refgateway.orders.grpc.v1.OrderLine;
import dev.refgateway.orders.grpc.v1.OrderStatus;
import dev.refgateway.orders.grpc.v1.OrdersGrpc;
import dev.refgateway.orders.grpc.v1.WatchOrderRequest;

import com.google.protobuf.Message;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * A real gRPC server of {@code refgateway.orders.v1.Orders} on a free port (grpc-java's own server), for the gateway's
 * translation tests: it records every request message and its metadata, answers what the test scripts (an order, a
 * status, a delay), and streams the events a test feeds it one at a time.
 */
public final class GrpcOrdersBackend implements AutoCloseable {

    /** A request as the instance got it. */
    public record Received(String method, Message request, Metadata headers, long deadlineMillis) {
    }

    static final Metadata.Key<String> INSTANCE = Metadata.Key.of("x-instance-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<Metadata> HEADERS = Context.key("headers");

    private final String id;
    private final Server server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<Status> failWith = new AtomicReference<>();
    private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final AtomicInteger cancelled = new AtomicInteger();

    private GrpcOrdersBackend(String id, int port) {
        this.id = id;
        ServerInterceptor headers = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata metadata,
                                                               ServerCallHandler<Q, R> next) {
                Metadata answer = new Metadata();
                answer.put(INSTANCE, id);
                return Contexts.interceptCall(Context.current().withValue(HEADERS, metadata),
                        new io.grpc.ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                            @Override
                            public void sendHeaders(Metadata responseHeaders) {
                                responseHeaders.merge(answer);
                                super.sendHeaders(responseHeaders);
                            }
                        }, metadata, next);
            }
        };
        try {
            this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                    .addService(ServerInterceptors.intercept(new Orders(), headers))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server on a free port; {@code id} goes out in every answer's {@code x-instance-id}. */
    public static GrpcOrdersBackend start(String id) {
        return new GrpcOrdersBackend(id, 0);
    }

    /** A server on {@code port} (a restart on the same address). */
    public static GrpcOrdersBackend start(String id, int port) {
        return new GrpcOrdersBackend(id, port);
    }

    public String id() {
        return id;
    }

    public int port() {
        return server.getPort();
    }

    /** {@code 127.0.0.1:port}, as a route's {@code instances} lists it. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    public List<Received> received() {
        return received;
    }

    /** Every call fails with {@code status} from now on (null: answer again). */
    public void failWith(Status status) {
        failWith.set(status);
    }

    /** Every unary answer waits this long first. */
    public void delay(Duration pause) {
        delay.set(pause);
    }

    /** The next event of the open watch: a status, or a {@link Status} to end it with. */
    public void emit(Object statusOrEnd) {
        events.add(statusOrEnd);
    }

    /** How many calls the client cancelled (a deadline, a client that went away). */
    public int cancelled() {
        return cancelled.get();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An order as the scripted store has it. */
    public static Order order(long id, long userId, OrderStatus status) {
        return Order.newBuilder().setId(id).setUserId(userId).setStatus(status).setTotal("19.98")
                .addItems(OrderLine.newBuilder().setSku("BOOK-1").setQuantity(2).setUnitPrice("9.99")
                                  .setLineTotal("19.98"))
                .setCreatedAt("2026-12-03T10:00:00Z").setUpdatedAt("2026-12-03T10:00:00Z").build();
    }

    private final class Orders extends OrdersGrpc.OrdersImplBase {

        @Override
        public void getOrder(GetOrderRequest request, StreamObserver<Order> response) {
            unary("GetOrder", request, response, () -> order(request.getId(), 1, OrderStatus.CREATED));
        }

        @Override
        public void listOrders(ListOrdersRequest request, StreamObserver<ListOrdersResponse> response) {
            unary("ListOrders", request, response, () -> ListOrdersResponse.newBuilder()
                    .addOrders(order(2, request.getUserId(), OrderStatus.PAID))
                    .addOrders(order(1, request.getUserId(), OrderStatus.CREATED))
                    .setTotal(2).build());
        }

        @Override
        public void createOrder(CreateOrderRequest request, StreamObserver<Order> response) {
            unary("CreateOrder", request, response, () -> {
                Order.Builder order = order(7, request.getUserId(), OrderStatus.CREATED).toBuilder().clearItems();
                request.getItemsList().forEach(item -> order.addItems(OrderLine.newBuilder().setSku(item.getSku())
                        .setQuantity(item.getQuantity()).setUnitPrice(item.getUnitPrice())));
                return order.build();
            });
        }

        @Override
        public void watchOrder(WatchOrderRequest request, StreamObserver<OrderEvent> response) {
            record("WatchOrder", request);
            ServerCallStreamObserver<OrderEvent> call = (ServerCallStreamObserver<OrderEvent>) response;
            call.setOnCancelHandler(cancelled::incrementAndGet);
            Status failure = failWith.get();
            if (failure != null) {
                response.onError(failure.asRuntimeException());
                return;
            }
            // Runs on grpc-java's executor: blocking here is what a test's scripted stream needs.
            try {
                while (!call.isCancelled()) {
                    Object next = events.poll(100, TimeUnit.MILLISECONDS);
                    if (next instanceof OrderStatus status) {
                        call.onNext(OrderEvent.newBuilder().setOrder(order(request.getId(), 1, status)).build());
                    } else if (next instanceof Status end) {
                        if (end.isOk()) {
                            call.onCompleted();
                        } else {
                            call.onError(end.asRuntimeException());
                        }
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (StatusRuntimeException e) {
                // cancelled while sending
            }
        }

        private <T> void unary(String method, Message request, StreamObserver<T> response,
                               java.util.function.Supplier<T> answer) {
            record(method, request);
            ServerCallStreamObserver<T> call = (ServerCallStreamObserver<T>) response;
            call.setOnCancelHandler(cancelled::incrementAndGet);
            Duration pause = delay.get();
            if (!pause.isZero()) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (call.isCancelled()) {
                    return;
                }
            }
            Status failure = failWith.get();
            if (failure != null) {
                response.onError(failure.asRuntimeException());
                return;
            }
            response.onNext(answer.get());
            response.onCompleted();
        }

        private void record(String method, Message request) {
            io.grpc.Deadline deadline = Context.current().getDeadline();
            received.add(new Received(method, request, HEADERS.get(),
                                      deadline == null ? -1 : deadline.timeRemaining(TimeUnit.MILLISECONDS)));
        }
    }
}
