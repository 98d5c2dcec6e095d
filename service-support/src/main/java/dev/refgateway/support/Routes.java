package dev.refgateway.support;

import io.helidon.webserver.http.HttpRouting;

/** A service's own routes, registered on the routing that {@link SampleService} prepared. */
@FunctionalInterface
public interface Routes {

    void register(HttpRouting.Builder routing, ServiceContext context);
}
