package dev.refgateway.orders;

import dev.refgateway.support.problem.ProblemException;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The gRPC status of a refusal the HTTP API answers with a problem: the inverse of the HTTP mapping that gRPC
 * gateways apply (google.rpc.Code), so a call through the gateway's translation gets the status the HTTP API gives.
 */
final class GrpcStatuses {

    private GrpcStatuses() {
    }

    static StatusRuntimeException of(ProblemException problem) {
        Status status = switch (problem.status().code()) {
            case 400 -> Status.INVALID_ARGUMENT;
            case 404 -> Status.NOT_FOUND;
            // a state the order is in, or another request's change: the caller must look again first
            case 409 -> Status.FAILED_PRECONDITION;
            // the request is well formed but refers to something that does not exist (a user)
            case 422 -> Status.FAILED_PRECONDITION;
            case 503 -> Status.UNAVAILABLE;
            default -> Status.INTERNAL;
        };
        return status.withDescription(problem.getMessage()).asRuntimeException();
    }
}
