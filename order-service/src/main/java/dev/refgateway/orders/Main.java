package dev.refgateway.orders;

import java.time.Clock;
import javax.sql.DataSource;

import dev.refgateway.support.SampleService;
import dev.refgateway.support.ServiceContext;
import dev.refgateway.support.ServiceLogging;

import io.helidon.config.Config;
import io.helidon.service.registry.Services;
import io.helidon.webserver.http.HttpRouting;

/**
 * Starts order-service: orders in its own database, registered in Consul as {@code order-service}; users are
 * checked with user-service, found through Consul.
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
        SampleService.start(SERVICE_NAME, config, Main::routing);
    }

    static void routing(HttpRouting.Builder routing, ServiceContext context) {
        UserDirectorySettings settings = UserDirectorySettings.create(context.config().get("users"));
        routing(routing, context.database().dataSource(), ConsulUserDirectory.start(context.consul(), settings));
    }

    /**
     * The service's own routes; tests call this with a routing prepared by {@link SampleService#testRouting} and a
     * user directory of their choice. The directory is closed when the server stops.
     */
    static void routing(HttpRouting.Builder routing, DataSource dataSource, UserDirectory users) {
        routing.register("/orders", new OrderService(new OrderRepository(dataSource), new IdempotencyKeys(dataSource),
                                                     users, Clock.systemUTC()));
    }
}
