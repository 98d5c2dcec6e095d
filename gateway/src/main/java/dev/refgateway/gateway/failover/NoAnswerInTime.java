package dev.refgateway.gateway.failover;

import java.net.SocketTimeoutException;

/**
 * An attempt got no answer within its read timeout after the request went out: a timeout, never a connect failure,
 * whatever its message says (a method or an instance's text may well contain "connect"). Thrown by transports that
 * know the request was sent (the gRPC translation); classified by type, not by text.
 */
public final class NoAnswerInTime extends SocketTimeoutException {

    public NoAnswerInTime(String message) {
        super(message);
    }
}
