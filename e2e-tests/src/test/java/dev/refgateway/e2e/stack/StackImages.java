package dev.refgateway.e2e.stack;

import org.testcontainers.utility.DockerImageName;

/**
 * The images of the stack under test, each from a system property. The defaults are what `make images` tags and
 * what deploy/compose/docker-compose.yml pulls, so a machine with a registry needs no property at all; an offline
 * machine passes its stand-ins (scripts/run-e2e.sh does). Nothing here names a stand-in.
 *
 * @param gateway      {@code e2e.image.gateway}, default {@code refgateway/gateway:dev}
 * @param userService  {@code e2e.image.user-service}, default {@code refgateway/user-service:dev}
 * @param orderService {@code e2e.image.order-service}, default {@code refgateway/order-service:dev}
 * @param consul       {@code e2e.consul.image}, default {@code hashicorp/consul:1.20}
 * @param postgres     {@code e2e.postgres.image}, default {@code postgres:17}
 */
public record StackImages(DockerImageName gateway,
                          DockerImageName userService,
                          DockerImageName orderService,
                          DockerImageName consul,
                          DockerImageName postgres) {

    /** Reads the five properties. */
    public static StackImages fromSystemProperties() {
        return new StackImages(
                DockerImageName.parse(property("e2e.image.gateway", "refgateway/gateway:dev")),
                DockerImageName.parse(property("e2e.image.user-service", "refgateway/user-service:dev")),
                DockerImageName.parse(property("e2e.image.order-service", "refgateway/order-service:dev")),
                // A stand-in (another name, same interface) is declared compatible, as Testcontainers asks.
                DockerImageName.parse(property("e2e.consul.image", "hashicorp/consul:1.20"))
                        .asCompatibleSubstituteFor("hashicorp/consul"),
                DockerImageName.parse(property("e2e.postgres.image", "postgres:17"))
                        .asCompatibleSubstituteFor("postgres"));
    }

    private static String property(String name, String fallback) {
        String value = System.getProperty(name, "").trim();
        return value.isEmpty() ? fallback : value;
    }
}
