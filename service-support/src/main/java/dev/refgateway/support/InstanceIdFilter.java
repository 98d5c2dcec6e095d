package dev.refgateway.support;

import java.util.function.Supplier;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/** Adds {@code X-Instance-Id} to every response, so a learner can watch load balancing happen. */
final class InstanceIdFilter implements Filter {

    static final HeaderName X_INSTANCE_ID = HeaderNames.create("X-Instance-Id");

    private final Supplier<String> instanceId;

    InstanceIdFilter(Supplier<String> instanceId) {
        this.instanceId = instanceId;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        res.header(X_INSTANCE_ID, instanceId.get());
        chain.proceed();
    }
}
