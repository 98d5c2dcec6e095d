package dev.refgateway.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.refgateway.support.http.PageRequest;
import dev.refgateway.support.db.Database;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OrderRepositoryTest {

    private static Database database;
    private static OrderRepository orders;

    @BeforeAll
    static void openDatabase() {
        database = TestDatabases.create();
        orders = new OrderRepository(database.dataSource());
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Test
    void storedOrderReadsBackEqualIncludingMoneyAndTimeToTheMicrosecond() {
        Instant now = Instant.parse("2025-03-01T10:15:30.123456789Z");
        Order created = orders.create(newOrder(1, line("A-1", 3, "0.10"), line("B-2", 1, "19.99")), now);

        assertThat(created.status()).isEqualTo(OrderStatus.CREATED);
        assertThat(created.createdAt()).isEqualTo(Instant.parse("2025-03-01T10:15:30.123456Z"));
        assertThat(orders.find(created.id())).contains(created);
        assertThat(orders.find(created.id()).orElseThrow().total()).hasToString("20.29");
    }

    @Test
    void linesKeepTheOrderTheClientSent() {
        Order created = orders.create(newOrder(2, line("Z", 1, "1"), line("A", 1, "2"), line("M", 1, "3")),
                                      Instant.now());

        assertThat(orders.find(created.id()).orElseThrow().lines())
                .extracting(OrderLine::sku)
                .containsExactly("Z", "A", "M");
    }

    @Test
    void unknownIdIsEmpty() {
        assertThat(orders.find(987_654)).isEmpty();
    }

    @Test
    void statusChangesOnlyFromTheExpectedStatus() {
        Order order = orders.create(newOrder(3, line("A", 1, "1.00")), Instant.now());

        assertThat(orders.compareAndSetStatus(order.id(), OrderStatus.CREATED, OrderStatus.PAID, Instant.now()))
                .isTrue();
        assertThat(orders.compareAndSetStatus(order.id(), OrderStatus.CREATED, OrderStatus.CANCELLED, Instant.now()))
                .isFalse();
        assertThat(orders.find(order.id()).orElseThrow().status()).isEqualTo(OrderStatus.PAID);
        assertThat(orders.compareAndSetStatus(987_654, OrderStatus.CREATED, OrderStatus.PAID, Instant.now()))
                .isFalse();
    }

    @Test
    void ofManyConcurrentStatusChangesExactlyOneWins() throws Exception {
        Order order = orders.create(newOrder(4, line("A", 1, "1.00")), Instant.now());
        int contenders = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(contenders)) {
            for (int i = 0; i < contenders; i++) {
                OrderStatus target = i % 2 == 0 ? OrderStatus.PAID : OrderStatus.CANCELLED;
                results.add(pool.submit(() -> {
                    start.await();
                    return orders.compareAndSetStatus(order.id(), OrderStatus.CREATED, target, Instant.now());
                }));
            }
            start.countDown();
        }

        long winners = 0;
        for (Future<Boolean> result : results) {
            winners += result.get() ? 1 : 0;
        }
        assertThat(winners).isEqualTo(1);
    }

    @Test
    void listsAUsersOrdersNewestFirstInPages() {
        long userId = 5;
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(orders.create(newOrder(userId, line("S" + i, 1, "1.00")), Instant.now()).id());
        }
        orders.create(newOrder(6, line("OTHER", 1, "1.00")), Instant.now());

        List<Order> first = orders.list(new OrderQuery(OptionalLong.of(userId), new PageRequest(2, 0)));
        List<Order> last = orders.list(new OrderQuery(OptionalLong.of(userId), new PageRequest(2, 4)));

        assertThat(first).extracting(Order::id).containsExactly(ids.get(4), ids.get(3));
        assertThat(first.getFirst().lines()).extracting(OrderLine::sku).containsExactly("S4");
        assertThat(last).extracting(Order::id).containsExactly(ids.get(0));
        assertThat(orders.count(OptionalLong.of(userId))).isEqualTo(5);
        assertThat(orders.count(OptionalLong.empty())).isGreaterThanOrEqualTo(6);
        assertThat(orders.list(new OrderQuery(OptionalLong.of(userId), new PageRequest(10, 5)))).isEmpty();
    }

    private static NewOrder newOrder(long userId, OrderLine... lines) {
        return new NewOrder(userId, List.of(lines));
    }

    private static OrderLine line(String sku, int quantity, String unitPrice) {
        return new OrderLine(sku, quantity, new BigDecimal(unitPrice));
    }
}
