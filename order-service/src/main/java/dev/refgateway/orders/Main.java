package dev.refgateway.orders;

import java.time.Clock;
import javax.sql.DataSource;

import dev.refgateway.support.RunningService;
import dev.refgateway.support.SampleService;
import dev.refgateway.support.ServiceContext;
import dev.refgateway.support.ServiceLogging;

import io.helidon.config.Config;
import io.helidon.service.registry.Services;
import io.helidon.webserver.grpc.GrpcRouting;
import io.helidon.webserver.http.HttpRouting;

/**
 * Starts order-service: orders in its own database, registered in Consul as {@code order-service} (HTTP) and
 * {@code order-service-grpc} (the same orders over gRPC, on {@code grpc.port}); users are checked with user-service,
 * found through Consul.
 *
 * <pre>
 * java -jar target/order-service.jar                       # needs Consul at CONSUL_URL and a user-service there
 * curl -i -X POST localhost:8083/orders -H 'Content-Type: application/json' \
 *      -d '{"userId":1,"items":[{"sku":"BOOK-1","quantity":2,"unitPrice":9.99}]}'
 * </pre>
 */
public final class Main {

    static final String SERVICE_NAME = "order-service";

    private Main() {
    }

    public static void main(String[] args) {
        ServiceLogging.configure();
        Config config = Config.create();
        Services.set(Config.class, config);
        start(config);
    }

    /** Starts the service with both APIs, as {@link #main} does; returns once it serves. */
    static RunningService start(Config config) {
        // One directory (one watch of user-service in Consul) for both APIs; the HTTP API's service closes it.
        SharedUserDirectory users = new SharedUserDirectory();
        return SampleService.start(SERVICE_NAME, config,
                                   (routing, context) -> routing(routing, context.database().dataSource(),
                                                                 users.get(context)),
                                   (grpc, context) -> grpc(grpc, context.database().dataSource(), users.get(context)));
    }

    /** The gRPC API on {@code grpc.port}, registered in Consul as {@code order-service-grpc}. */
    static void grpc(GrpcRouting.Builder routing, DataSource dataSource, UserDirectory users) {
        routing.service(new OrdersGrpcService(new OrderRepository(dataSource), users, Clock.systemUTC()));
    }

    /**
     * The service's own routes; tests call this with a routing prepared by {@link SampleService#testRouting} and a
     * user directory of their choice. The directory is closed when the server stops.
     */
    static void routing(HttpRouting.Builder routing, DataSource dataSource, UserDirectory users) {
        routing.register("/orders", new OrderService(new OrderRepository(dataSource), new IdempotencyKeys(dataSource),
                                                     users, Clock.systemUTC()));
    }

    /** The user directory, started on first use. */
    private static final class SharedUserDirectory {
        private UserDirectory users;

        synchronized UserDirectory get(ServiceContext context) {
            if (users == null) {
                users = ConsulUserDirectory.start(context.consul(),
                                                  UserDirectorySettings.create(context.config().get("users")));
            }
            return users;
        }
    }
}
