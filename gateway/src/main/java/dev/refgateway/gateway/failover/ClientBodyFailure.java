package dev.refgateway.gateway.failover;

/**
 * Reading the client's request body failed while it was being streamed to an instance: the body is over
 * {@code server.max-payload-size}, the client stalled past the read timeout, or it went away. The client's fault,
 * never the instance's: it is not retried and not counted against the instance, and the upstream request is
 * abandoned unfinished, so the instance never sees a cut-off body as a complete one.
 */
public final class ClientBodyFailure extends RuntimeException {

    public ClientBodyFailure(Throwable cause) {
        super("Reading the request body from the client failed", cause);
    }

    /** This failure anywhere in {@code e}'s cause chain, or null. */
    public static ClientBodyFailure find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ClientBodyFailure failure) {
                return failure;
            }
        }
        return null;
    }
}
