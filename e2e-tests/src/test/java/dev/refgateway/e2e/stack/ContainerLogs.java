package dev.refgateway.e2e.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.testcontainers.containers.GenericContainer;

/**
 * Saves what every container of a stack printed (stdout and stderr, every start of it) as
 * {@code <dir>/<container>.log}, plus {@code containers.txt} with each container's state, so a failed CI run can
 * be diagnosed from its artifacts alone.
 */
public final class ContainerLogs {

    private ContainerLogs() {
    }

    /** Writes the files; returns the directory. A container whose logs cannot be read gets the reason instead. */
    public static Path save(Map<String, GenericContainer<?>> containers, Path dir) {
        try {
            Files.createDirectories(dir);
            StringBuilder states = new StringBuilder();
            for (Map.Entry<String, GenericContainer<?>> entry : containers.entrySet()) {
                GenericContainer<?> container = entry.getValue();
                states.append(entry.getKey()).append(": ").append(ContainerControl.state(container)).append('\n');
                if (container.getContainerId() == null) {
                    continue;
                }
                String logs;
                try {
                    logs = container.getLogs();
                } catch (RuntimeException e) {
                    logs = "(logs not readable: " + e + ")\n";
                }
                Files.writeString(dir.resolve(entry.getKey() + ".log"), logs, StandardCharsets.UTF_8);
            }
            Files.writeString(dir.resolve("containers.txt"), states, StandardCharsets.UTF_8);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Saving container logs to " + dir + " failed", e);
        }
    }
}
