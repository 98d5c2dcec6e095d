package dev.refgateway.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.refgateway.discovery.testing.ConsulAgent;
import dev.refgateway.gateway.testing.RawAnswer;
import dev.refgateway.gateway.testing.RawSockets;
import dev.refgateway.gateway.testing.RecordingBackend;
import dev.refgateway.gateway.testing.TestGateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A POST retried on another instance creates one order, when the route says its instances deduplicate by
 * {@code Idempotency-Key}. Two instances share one store of orders by key (as order-service's instances share
 * their database): the first to get the request stores the order and dies before it answers; the gateway retries on
 * the other, which finds the key and answers with the same order.
 */
class GatewayIdempotentRetryIT {

    private static final String SERVICE = "svc-idempotent-retry";
    private static final Map<String, String> ORDERS_BY_KEY = new ConcurrentHashMap<>();
    private static final AtomicInteger ORDERS_CREATED = new AtomicInteger();
    private static final AtomicBoolean CRASHED_ONCE = new AtomicBoolean();
    private static RecordingBackend first;
    private static RecordingBackend second;
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        ConsulAgent agent = ConsulAgent.shared();
        first = RecordingBackend.start(SERVICE, agent.client(), RecordingBackend.ok());
        second = RecordingBackend.start(SERVICE, agent.client(), RecordingBackend.ok());
        RecordingBackend.Responder orders = (request, out) -> {
            String key = request.header("Idempotency-Key");
            String order = ORDERS_BY_KEY.computeIfAbsent(key, k -> "order-" + ORDERS_CREATED.incrementAndGet());
            if (CRASHED_ONCE.compareAndSet(false, true)) {
                return false;   // stored, then gone before answering: the gateway cannot tell
            }
            String body = "{\"id\":\"" + order + "\"}";
            out.write(("HTTP/1.1 201 Created\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                              .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return true;
        };
        first.respondWith(orders);
        second.respondWith(orders);
        gateway = TestGateway.start(agent.url(), """
                  proxy:
                    attempts-header: true
                  routes:
                    - id: orders
                      path: /orders/**
                      service: %s
                      retry:
                        idempotency-key-aware: true
                """.formatted(SERVICE));
        TestGateway.awaitInstances(gateway, SERVICE, 2);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        first.close();
        second.close();
    }

    @Test
    void aPostWhoseFirstAttemptDiedIsRetriedOnTheOtherInstanceAndCreatesOneOrder() {
        String body = "{\"userId\":1}";

        RawAnswer answer = RawAnswer.parse(RawSockets.exchangeUntilClosed(gateway.port(), "POST /orders HTTP/1.1\r\n"
                + "Host: gw\r\nIdempotency-Key: checkout-7\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\nConnection: close\r\n\r\n" + body));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body()).isEqualTo("{\"id\":\"order-1\"}");
        assertThat(answer.header("Gateway-Attempts")).contains("result=reset").contains("result=201");
        assertThat(first.received().size() + second.received().size()).isEqualTo(2);
        assertThat(ORDERS_CREATED.get()).isEqualTo(1);
    }
}
