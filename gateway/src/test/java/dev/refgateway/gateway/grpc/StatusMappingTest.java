package dev.refgateway.gateway.grpc;

import io.grpc.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class StatusMappingTest {

    /** google/rpc/code.proto's HTTP mapping, every code. */
    @ParameterizedTest
    @CsvSource({"OK, 200", "CANCELLED, 499", "UNKNOWN, 500", "INVALID_ARGUMENT, 400", "DEADLINE_EXCEEDED, 504",
            "NOT_FOUND, 404", "ALREADY_EXISTS, 409", "PERMISSION_DENIED, 403", "RESOURCE_EXHAUSTED, 429",
            "FAILED_PRECONDITION, 400", "ABORTED, 409", "OUT_OF_RANGE, 400", "UNIMPLEMENTED, 501", "INTERNAL, 500",
            "UNAVAILABLE, 503", "DATA_LOSS, 500", "UNAUTHENTICATED, 401"})
    void everyCodeHasTheStandardHttpStatus(Status.Code code, int http) {
        assertThat(StatusMapping.httpStatus(code)).isEqualTo(http);
        assertThat(StatusMapping.problemType(code)).startsWith("https://refgateway.dev/problems/grpc-")
                .doesNotContain("_");
    }
}
