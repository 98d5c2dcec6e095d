package dev.refgateway.support;

import java.util.logging.LogManager;

import io.helidon.logging.common.LogConfig;

/**
 * Logging for a service's {@code main}. Call it first thing, before anything logs.
 * <p>
 * The JDK resets {@code java.util.logging} in a shutdown hook of its own, which runs at the same time as the
 * graceful-shutdown hook — so the lines that matter most on SIGTERM ("Deregistered …", "Draining …") would be lost.
 * This installs a {@link LogManager} that keeps its handlers until the JVM is gone.
 */
public final class ServiceLogging {

    private ServiceLogging() {
    }

    public static void configure() {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", KeepHandlersLogManager.class.getName());
        }
        LogConfig.configureRuntime();
    }

    /** A log manager whose shutdown-time reset does nothing; console handlers flush every record anyway. */
    public static final class KeepHandlersLogManager extends LogManager {

        @Override
        public void reset() {
            // Ignore the JDK's shutdown reset; configuration (readConfiguration) still resets through super.
        }

        @Override
        public void readConfiguration(java.io.InputStream ins) throws java.io.IOException, SecurityException {
            super.reset();
            super.readConfiguration(ins);
        }
    }
}
