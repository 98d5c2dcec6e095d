package dev.refgateway.support;

import io.helidon.webserver.grpc.GrpcRouting;

/**
 * A service's gRPC API, served by {@link SampleService} on a listener of its own ({@code grpc.port}) and registered in
 * Consul as {@code <service>-grpc}, with a gRPC health check, so that callers (the gateway) find its instances like
 * any other service's.
 */
@FunctionalInterface
public interface GrpcApi {

    /** Adds the API's services to the gRPC routing. */
    void register(GrpcRouting.Builder routing, ServiceContext context);
}
