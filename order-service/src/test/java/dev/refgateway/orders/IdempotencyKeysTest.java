package dev.refgateway.orders;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import dev.refgateway.orders.IdempotencyKeys.Claim;
import dev.refgateway.support.db.Database;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The idempotency keys against a real database. Two {@link IdempotencyKeys} on one database stand for two instances
 * of order-service: the key is decided by the database, never by an instance's memory.
 */
class IdempotencyKeysTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static Database database;
    private static IdempotencyKeys instance1;
    private static IdempotencyKeys instance2;
    private static OrderRepository orders;

    @BeforeAll
    static void start() {
        database = TestDatabases.create();
        instance1 = new IdempotencyKeys(database.dataSource());
        instance2 = new IdempotencyKeys(database.dataSource());
        orders = new OrderRepository(database.dataSource());
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @Test
    void aKeyIsClaimedOnceAcrossInstancesThenRepliesWithItsOrder() {
        assertThat(instance1.claim("k-1", "hash-a", NOW)).isInstanceOf(Claim.Claimed.class);
        assertThat(instance2.claim("k-1", "hash-a", NOW)).isInstanceOf(Claim.InProgress.class);

        Order created = orders.create(order(), NOW, "k-1");

        assertThat(instance2.claim("k-1", "hash-a", NOW.plusSeconds(5))).isEqualTo(new Claim.Replay(created.id()));
        assertThat(instance1.claim("k-1", "hash-b", NOW.plusSeconds(5))).isInstanceOf(Claim.Mismatch.class);
    }

    @Test
    void aReleasedClaimCanBeMadeAgain() {
        assertThat(instance1.claim("k-2", "hash-a", NOW)).isInstanceOf(Claim.Claimed.class);

        instance1.release("k-2");

        assertThat(instance2.claim("k-2", "hash-a", NOW)).isInstanceOf(Claim.Claimed.class);
    }

    @Test
    void aKeyOlderThanADayIsNewAgain() {
        assertThat(instance1.claim("k-3", "hash-a", NOW)).isInstanceOf(Claim.Claimed.class);
        orders.create(order(), NOW, "k-3");

        Instant dayLater = NOW.plus(IdempotencyKeys.RETENTION).plus(1, ChronoUnit.SECONDS);

        assertThat(instance2.claim("k-3", "hash-b", dayLater)).isInstanceOf(Claim.Claimed.class);
    }

    @Test
    void aClaimAbandonedInProgressNoLongerBlocksTheKey() {
        assertThat(instance1.claim("k-4", "hash-a", NOW)).isInstanceOf(Claim.Claimed.class);

        Instant later = NOW.plus(IdempotencyKeys.ABANDONED_AFTER).plusSeconds(1);

        assertThat(instance2.claim("k-4", "hash-a", later)).isInstanceOf(Claim.Claimed.class);
    }

    @Test
    void ofManyConcurrentClaimsOfOneKeyExactlyOneWins() throws Exception {
        int contenders = 16;
        Set<String> results = ConcurrentHashMap.newKeySet();
        List<Claim> claims = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < contenders; i++) {
                IdempotencyKeys keys = i % 2 == 0 ? instance1 : instance2;
                executor.submit(() -> {
                    start.await();
                    Claim claim = keys.claim("k-race", "hash-a", NOW);
                    claims.add(claim);
                    results.add(claim.getClass().getSimpleName());
                    return null;
                });
            }
            start.countDown();
        }

        assertThat(claims).hasSize(contenders);
        assertThat(claims.stream().filter(c -> c instanceof Claim.Claimed)).hasSize(1);
        assertThat(results).containsExactlyInAnyOrder("Claimed", "InProgress");
    }

    private static NewOrder order() {
        return new NewOrder(1, List.of(new OrderLine("BOOK", 1, new java.math.BigDecimal("9.99"))));
    }
}
