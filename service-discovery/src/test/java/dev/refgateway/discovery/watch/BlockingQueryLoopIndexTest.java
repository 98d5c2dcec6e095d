package dev.refgateway.discovery.watch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BlockingQueryLoopIndexTest {

    @Test
    void carriesTheIndexForward() {
        assertThat(BlockingQueryLoop.nextIndex(10, 12)).isEqualTo(12);
        assertThat(BlockingQueryLoop.nextIndex(12, 12)).isEqualTo(12);
    }

    @Test
    void startsOverWhenTheIndexGoesBackwards() {
        // An agent restart or a snapshot restore: blocking on the old index would hang until the wait expires.
        assertThat(BlockingQueryLoop.nextIndex(500, 7)).isZero();
    }

    @Test
    void neverBlocksOnAnIndexBelowOne() {
        assertThat(BlockingQueryLoop.nextIndex(0, 0)).isEqualTo(1);
    }
}
