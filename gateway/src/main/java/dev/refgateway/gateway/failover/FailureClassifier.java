package dev.refgateway.gateway.failover;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import dev.refgateway.gateway.http1.MalformedMessage;

import io.helidon.faulttolerance.CircuitBreakerOpenException;

/** Turns what the client threw into a {@link FailureKind}, walking the cause chain (Helidon wraps I/O errors). */
public final class FailureClassifier {

    private FailureClassifier() {
    }

    public static FailureKind classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MalformedMessage) {
                return FailureKind.INVALID_RESPONSE;
            }
            if (t instanceof CircuitBreakerOpenException) {
                return FailureKind.CIRCUIT_OPEN;
            }
            if (t instanceof NoAnswerInTime) {
                return FailureKind.TIMEOUT;
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException) {
                return FailureKind.CONNECT_FAILURE;
            }
            if (t instanceof SocketTimeoutException) {
                String message = t.getMessage();
                // A connect timeout sent nothing; a read timeout may have reached the instance.
                return message != null && message.toLowerCase().contains("connect")
                        ? FailureKind.CONNECT_FAILURE
                        : FailureKind.TIMEOUT;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return FailureKind.RESET;
    }
}
