package dev.refgateway.users;

import javax.sql.DataSource;

import dev.refgateway.support.SampleService;
import dev.refgateway.support.ServiceContext;
import dev.refgateway.support.ServiceLogging;

import io.helidon.config.Config;
import io.helidon.service.registry.Services;
import io.helidon.webserver.http.HttpRouting;

/**
 * Starts user-service: users in its own database, registered in Consul as {@code user-service}.
 *
 * <pre>
 * curl -i -X POST localhost:8081/users -H 'Content-Type: application/json' \
 *      -d '{"name":"Ada Lovelace","email":"ada@example.com"}'
 * curl -s 'localhost:8081/users?limit=10&amp;offset=0'
 * </pre>
 */
public final class Main {

    static final String SERVICE_NAME = "user-service";

    private Main() {
    }

    public static void main(String[] args) {
        ServiceLogging.configure();
        Config config = Config.create();
        Services.set(Config.class, config);
        SampleService.start(SERVICE_NAME, config, Main::routing);
    }

    static void routing(HttpRouting.Builder routing, ServiceContext context) {
        routing(routing, context.database().dataSource());
    }

    /** The service's own routes; tests call this with a routing prepared by {@link SampleService#testRouting}. */
    static void routing(HttpRouting.Builder routing, DataSource dataSource) {
        routing.register("/users", new UserService(new UserRepository(dataSource)));
    }
}
