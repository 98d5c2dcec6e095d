package dev.refgateway.e2e.stack;

import java.time.Duration;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import org.awaitility.core.ConditionTimeoutException;
import org.testcontainers.containers.GenericContainer;

import static org.awaitility.Awaitility.await;

/**
 * What an operator or a failure does to a running container, through the Docker API: {@code docker kill},
 * {@code docker stop}, {@code docker start}, {@code docker pause}. The container keeps its id, name and network
 * aliases, so Testcontainers still manages (and finally removes) it.
 */
public final class ContainerControl {

    private ContainerControl() {
    }

    /** SIGKILL: the process dies at once, nothing is deregistered or drained. */
    public static void kill(GenericContainer<?> container) {
        docker(container).killContainerCmd(container.getContainerId()).exec();
    }

    /** SIGTERM, then SIGKILL after compose's grace period (20 s); returns once the container stopped. */
    public static void stopGracefully(GenericContainer<?> container) {
        docker(container).stopContainerCmd(container.getContainerId())
                .withTimeout(Stack.STOP_GRACE_SECONDS)
                .exec();
    }

    /** Starts a stopped or killed container again and waits until its health check passes. */
    public static void startAgain(GenericContainer<?> container, Duration timeout) {
        docker(container).startContainerCmd(container.getContainerId()).exec();
        awaitHealthy(container, timeout);
    }

    /** Freezes every process of the container (cgroup freezer): connections stay open, nothing answers. */
    public static void pause(GenericContainer<?> container) {
        docker(container).pauseContainerCmd(container.getContainerId()).exec();
    }

    public static void unpause(GenericContainer<?> container) {
        docker(container).unpauseContainerCmd(container.getContainerId()).exec();
    }

    /** Waits until Docker reports the container healthy (or just running, when it has no health check). */
    public static void awaitHealthy(GenericContainer<?> container, Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> isHealthy(container));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("container " + container.getNetworkAliases() + " not healthy within "
                                             + timeout.toSeconds() + " s: " + state(container), e);
        }
    }

    /** For messages and log files: "running, healthy", "exited (137)", ... */
    public static String state(GenericContainer<?> container) {
        if (container.getContainerId() == null) {
            return "not created, or removed after a failed start (its output: failsafe-reports/<TestClass>-output.txt)";
        }
        try {
            InspectContainerResponse.ContainerState state = inspect(container).getState();
            String health = state.getHealth() == null ? "" : ", " + state.getHealth().getStatus();
            String exit = Boolean.TRUE.equals(state.getRunning()) ? "" : " (exit code " + state.getExitCodeLong() + ")";
            // The image as created; never GenericContainer.getDockerImageName(), which may try to pull it again.
            return state.getStatus() + exit + health + " (image " + inspect(container).getConfig().getImage() + ")";
        } catch (RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static boolean isHealthy(GenericContainer<?> container) {
        InspectContainerResponse.ContainerState state = inspect(container).getState();
        if (!Boolean.TRUE.equals(state.getRunning())) {
            return false;
        }
        return state.getHealth() == null || "healthy".equals(state.getHealth().getStatus());
    }

    private static InspectContainerResponse inspect(GenericContainer<?> container) {
        return docker(container).inspectContainerCmd(container.getContainerId()).exec();
    }

    private static DockerClient docker(GenericContainer<?> container) {
        return container.getDockerClient();
    }
}
