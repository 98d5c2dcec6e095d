package dev.refgateway.support;

/** Whether this instance has begun shutting down; readiness reports it so orchestrators stop sending traffic. */
final class ShutdownState {

    private volatile boolean shuttingDown;

    boolean isShuttingDown() {
        return shuttingDown;
    }

    void begin() {
        shuttingDown = true;
    }
}
