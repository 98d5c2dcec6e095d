package dev.refgateway.support;

import java.util.function.BooleanSupplier;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;

/**
 * gRPC's standard health service ({@code grpc.health.v1.Health/Check}), which Consul's gRPC check calls: SERVING
 * exactly when the HTTP readiness check would pass (the database answers, the instance is not draining), for the
 * server as a whole ({@code service: ""}) and for each of its services.
 */
final class GrpcHealth extends HealthGrpc.HealthImplBase {

    private final BooleanSupplier ready;

    GrpcHealth(BooleanSupplier ready) {
        this.ready = ready;
    }

    @Override
    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> response) {
        response.onNext(HealthCheckResponse.newBuilder()
                                .setStatus(ready.getAsBoolean() ? HealthCheckResponse.ServingStatus.SERVING
                                                   : HealthCheckResponse.ServingStatus.NOT_SERVING)
                                .build());
        response.onCompleted();
    }
}
