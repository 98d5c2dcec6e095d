package dev.refgateway.gateway.failover;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TriedInstancesTest {

    @Test
    void aFreshRequestHasTriedNothing() {
        TriedInstances tried = new TriedInstances();

        assertThat(tried.size()).isZero();
        assertThat(tried.contains("a")).isFalse();
    }

    @Test
    void itKeepsEveryInstanceBeyondItsInitialCapacityOfFour() {
        TriedInstances tried = new TriedInstances();

        for (int i = 0; i < 11; i++) {
            tried.add("instance-" + i);
        }

        assertThat(tried.size()).isEqualTo(11);
        for (int i = 0; i < 11; i++) {
            assertThat(tried.contains("instance-" + i)).as("instance-%d", i).isTrue();
        }
        assertThat(tried.contains("instance-11")).isFalse();
        assertThat(tried.contains("instance")).isFalse();
    }
}
