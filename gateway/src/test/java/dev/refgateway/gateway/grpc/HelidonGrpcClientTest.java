package dev.refgateway.gateway.grpc;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.refgateway.gateway.testing.GrpcOrdersBackend;
import dev.refgateway.orders.grpc.v1.GetOrderRequest;
import dev.refgateway.orders.grpc.v1.Order;
import dev.refgateway.orders.grpc.v1.OrdersGrpc;

import io.helidon.common.tls.Tls;
import io.helidon.webclient.grpc.GrpcClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins why the gateway calls instances with grpc-java's client rather than Helidon's (docs/helidon.md): Helidon 4.5's
 * gRPC client does not apply a call's deadline. When an upgrade makes this test fail, Helidon's client may do.
 */
class HelidonGrpcClientTest {

    private static GrpcOrdersBackend backend;

    @BeforeAll
    static void start() {
        backend = GrpcOrdersBackend.start("pinned");
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @Test
    void helidonsGrpcClientIgnoresTheCallsDeadline() {
        backend.delay(Duration.ofMillis(1500));
        GrpcClient client = GrpcClient.builder()
                .baseUri("http://" + backend.address())
                .tls(Tls.builder().enabled(false).build())
                .build();

        // With a 200 ms deadline applied this would fail with DEADLINE_EXCEEDED; Helidon waits for the answer.
        Order order = OrdersGrpc.newBlockingStub(client.channel())
                .withDeadlineAfter(200, TimeUnit.MILLISECONDS)
                .getOrder(GetOrderRequest.newBuilder().setId(5).build());

        assertThat(order.getId()).isEqualTo(5);
    }
}
