package dev.refgateway.gateway.config;

import java.util.concurrent.atomic.AtomicReference;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins Helidon 4.5.0's configuration flattening: a list of N entries becomes a chain of N concatenated streams
 * ({@code ConfigHelper.flattenNodes}, {@code reduce(.., Stream::concat)}) walked recursively, N frames deep. The
 * gateway's {@code Main} therefore starts on a thread with a 64 MiB stack (the JVM's default of 1 MiB overflowed
 * at 10,000 routes). When an upgrade flattens without recursion, the first test fails and that thread can go.
 */
class HelidonConfigDepthTest {

    private static final int ENTRIES = 8_000;

    @Test
    void aLongListOverflowsASmallStack() throws InterruptedException {
        // Compiled frames are smaller than interpreted ones: built once first, so that the depth is measured with
        // the JIT's frames whatever ran in this JVM before (the JVM rounds the stack up to its minimum, ~136 KiB).
        assertThat(buildOnThreadWithStack(64L * 1024 * 1024)).isNull();
        assertThat(buildOnThreadWithStack(128 * 1024)).isInstanceOf(StackOverflowError.class);
    }

    @Test
    void theSameListBuildsOnAStackAsLargeAsMains() throws InterruptedException {
        assertThat(buildOnThreadWithStack(64L * 1024 * 1024)).isNull();
    }

    /** What building and reading a configuration with a list of {@link #ENTRIES} entries threw, or null. */
    private static Throwable buildOnThreadWithStack(long stackBytes) throws InterruptedException {
        StringBuilder yaml = new StringBuilder("routes:\n");
        for (int i = 0; i < ENTRIES; i++) {
            yaml.append("  - id: r").append(i).append('\n');
        }
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                Config config = Config.just(ConfigSources.create(yaml.toString(), MediaTypes.APPLICATION_X_YAML));
                assertThat(config.get("routes").asNodeList().orElseThrow()).hasSize(ENTRIES);
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "config-depth", stackBytes);
        thread.start();
        thread.join();
        return thrown.get();
    }
}
