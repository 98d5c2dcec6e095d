package dev.refgateway.e2e.stack;

import java.time.Duration;

import com.github.dockerjava.api.command.InspectContainerResponse;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/**
 * Waits until Docker's health check reports the container healthy, like {@code Wait.forHealthcheck()}, but fails at
 * once when the container exits or turns unhealthy: a service that rejects its configuration is reported in
 * seconds, not after the whole start-up timeout. (Testcontainers then logs the container's output.)
 */
final class HealthyOrExited extends AbstractWaitStrategy {

    private static final Duration POLL = Duration.ofMillis(250);

    HealthyOrExited(Duration timeout) {
        withStartupTimeout(timeout);
    }

    @Override
    protected void waitUntilReady() {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        while (true) {
            InspectContainerResponse.ContainerState state = waitStrategyTarget.getCurrentContainerInfo().getState();
            String health = state.getHealth() == null ? "no health check" : state.getHealth().getStatus();
            if (!Boolean.TRUE.equals(state.getRunning())) {
                throw new ContainerLaunchException("Container exited with code " + state.getExitCodeLong()
                                                           + " before it was healthy");
            }
            if ("healthy".equals(health)) {
                return;
            }
            if ("unhealthy".equals(health) || System.nanoTime() - deadline >= 0) {
                throw new ContainerLaunchException("Container not healthy within " + startupTimeout.toSeconds()
                                                           + " s (health: " + health + ")");
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerLaunchException("Interrupted while waiting for the container", e);
            }
        }
    }
}
