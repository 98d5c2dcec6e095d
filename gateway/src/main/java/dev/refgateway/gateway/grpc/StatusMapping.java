package dev.refgateway.gateway.grpc;

import java.util.Locale;

import dev.refgateway.gateway.problem.ProblemResponses;

import io.grpc.Status;

/**
 * gRPC status codes as HTTP statuses: the mapping of {@code google/rpc/code.proto}, which Envoy's transcoder and
 * grpc-gateway apply too. UNAVAILABLE is 503, so a route retries it on another instance as it retries an HTTP 503.
 */
final class StatusMapping {

    private StatusMapping() {
    }

    static int httpStatus(Status.Code code) {
        return switch (code) {
            case OK -> 200;
            case CANCELLED -> 499;
            case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case DEADLINE_EXCEEDED -> 504;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case PERMISSION_DENIED -> 403;
            case UNAUTHENTICATED -> 401;
            case RESOURCE_EXHAUSTED -> 429;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
        };
    }

    /** The problem {@code type} of an instance's gRPC status: {@code .../problems/grpc-not-found} and so on. */
    static String problemType(Status.Code code) {
        return ProblemResponses.BASE + "grpc-" + code.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
