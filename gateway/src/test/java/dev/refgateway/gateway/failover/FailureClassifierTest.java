package dev.refgateway.gateway.failover;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailureClassifierTest {

    @Test
    void aReadTimeoutWhoseTextSaysConnectIsStillATimeoutWhenItsTypeSaysSo() {
        // Retrying a POST after a read timeout could run it twice: only a connect failure may be retried freely.
        assertThat(FailureClassifier.classify(new NoAnswerInTime(
                "refgateway.devices.v1.Devices/ConnectDevice: no answer within 800 ms"))).isEqualTo(FailureKind.TIMEOUT);
        assertThat(FailureClassifier.classify(new IOException("wrapped", new NoAnswerInTime("db connect slow"))))
                .isEqualTo(FailureKind.TIMEOUT);
    }

    @Test
    void theJdksOwnExceptionsAreClassifiedAsBefore() {
        assertThat(FailureClassifier.classify(new ConnectException("Connection refused")))
                .isEqualTo(FailureKind.CONNECT_FAILURE);
        assertThat(FailureClassifier.classify(new SocketTimeoutException("Connect timed out")))
                .isEqualTo(FailureKind.CONNECT_FAILURE);
        assertThat(FailureClassifier.classify(new SocketTimeoutException("Read timed out")))
                .isEqualTo(FailureKind.TIMEOUT);
        assertThat(FailureClassifier.classify(new IOException("Connection reset"))).isEqualTo(FailureKind.RESET);
    }
}
