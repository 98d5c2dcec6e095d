package dev.refgateway.e2e.stack;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.testcontainers.DockerClientFactory;

/**
 * One {@link Stack} per test class: started before the first test, removed after the last, and its containers' logs
 * saved under {@code e2e-tests/target/container-logs/<TestClass>/<test>/} whenever a test fails (or under
 * {@code .../<TestClass>/startup/} when the stack does not come up).
 * <pre>
 * &#64;RegisterExtension
 * static final StackExtension STACK = new StackExtension();
 * </pre>
 * Without a Docker engine every test fails with a message saying so: the suite is never skipped, least of all under
 * {@code CI=true} (the opposite of {@code @Testcontainers(disabledWithoutDocker = true)}).
 */
public final class StackExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    private Stack stack;

    /** The running stack; only inside tests. */
    public Stack stack() {
        if (stack == null) {
            throw new IllegalStateException("The stack starts before the first test of the class");
        }
        return stack;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        requireDocker();
        Stack created = Stack.create(StackImages.fromSystemProperties(),
                                     Path.of(System.getProperty("e2e.compose.dir", "../deploy/compose")),
                                     System.getProperty("e2e.run-id", "local"));
        try {
            created.start();
        } catch (RuntimeException | AssertionError e) {
            Path dir = ContainerLogs.save(created.containers(), logsDir(context, "startup"));
            created.close();
            e.addSuppressed(new IllegalStateException("The stack did not start; container logs: " + dir));
            throw e;
        }
        stack = created;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (stack != null) {
            stack.close();
            stack = null;
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (stack == null) {
            return;
        }
        Path dir = ContainerLogs.save(stack.containers(),
                                      logsDir(context, context.getTestMethod().map(m -> m.getName()).orElse("test")));
        System.err.println(context.getDisplayName() + " failed; container logs: " + dir);
    }

    private static Path logsDir(ExtensionContext context, String leaf) {
        String testClass = context.getTestClass().map(Class::getSimpleName).orElse("unknown");
        return Path.of(System.getProperty("e2e.logs.dir", "target/container-logs"), testClass, leaf);
    }

    private static void requireDocker() {
        if (DockerClientFactory.instance().isDockerAvailable()) {
            return;
        }
        boolean ci = Optional.ofNullable(System.getenv("CI")).map("true"::equalsIgnoreCase).orElse(false);
        throw new IllegalStateException("No Docker engine answers, and the e2e suite needs one: it is never skipped"
                + (ci ? " (CI=true)" : "") + ". Start Docker (an offline Debian machine: deploy/offline/docker-engine.sh)"
                + " or run `make e2e`, which starts it and prepares the images.");
    }
}
