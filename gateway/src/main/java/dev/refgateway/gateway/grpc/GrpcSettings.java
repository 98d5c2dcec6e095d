package dev.refgateway.gateway.grpc;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

import dev.refgateway.gateway.config.ConfigException;
import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;

/**
 * Translation to gRPC: the descriptor sets to read and the routes that translate.
 * <pre>
 * gateway:
 *   grpc:
 *     descriptor-sets: [classpath:grpc/refgateway.pb, /etc/gateway/billing.pb]   # protoc --include_imports
 *   routes:
 *     - id: orders-grpc
 *       path: /v1/**
 *       service: order-service-grpc          # the instances, found in Consul like any others
 *       grpc: refgateway.orders.v1.Orders    # the proto service whose google.api.http rules take the requests
 * </pre>
 *
 * @param apis              the services of the descriptor sets
 * @param servicesByRoute   the proto service of each translating route, by route id
 * @param maxMessageBytes   the largest message an instance may answer with
 * @param streamIdleTimeout how long a stream may go without a message once its first has come
 */
public record GrpcSettings(GrpcApis apis, Map<String, String> servicesByRoute, int maxMessageBytes,
                           Duration streamIdleTimeout) {

    public static final Option.Items<String> DESCRIPTOR_SETS = Option.names(
            "descriptor-sets", List.of("classpath:grpc/refgateway.pb"), text -> !text.isBlank(),
            "a file path or classpath:name",
            "FileDescriptorSet files (protoc --include_imports --descriptor_set_out) whose services routes may "
                    + "translate to, with their google.api.http rules; the default is the sample services' (protos/ "
                    + "in the repository), which the gateway's jar carries.");
    public static final Option.Int MAX_MESSAGE_BYTES = Option.integer(
            "max-message-bytes", 1024 * 1024, 1024, 16 * 1024 * 1024,
            "The largest message an instance may answer with; a larger one fails the call (502). Its JSON may be "
                    + "at most 8 times as long. Held in memory while it is translated: keep it far below the heap.");
    public static final Option.Time STREAM_IDLE_TIMEOUT = Option.duration(
            "stream-idle-timeout", Duration.ofMinutes(5), Duration.ofSeconds(1),
            "A server stream that sends nothing for this long after its first message is ended (with an error "
                    + "line); the first message must come within the route's per-try timeout.");
    public static final Options OPTIONS = Options.of(
            "gateway.grpc", "Translation of HTTP/JSON to gRPC (routes with a grpc key).",
            DESCRIPTOR_SETS, MAX_MESSAGE_BYTES, STREAM_IDLE_TIMEOUT);

    /** The route key that makes a route translate: the full name of a proto service. */
    public static final String ROUTE_KEY = "grpc";

    public GrpcSettings {
        Objects.requireNonNull(apis, "apis");
        servicesByRoute = Collections.unmodifiableMap(new LinkedHashMap<>(servicesByRoute));
        Objects.requireNonNull(streamIdleTimeout, "streamIdleTimeout");
    }

    /** The proto service route {@code routeId} translates to, if it translates. */
    public Optional<String> serviceOf(String routeId) {
        return Optional.ofNullable(servicesByRoute.get(routeId));
    }

    /**
     * Reads {@code gateway.grpc}, loads its descriptor sets, and checks the {@code grpc} of every route against them.
     *
     * @throws ConfigException naming the key: a descriptor set that cannot be read, a service none of them has, a
     *                         service without {@code google.api.http} rules
     */
    public static GrpcSettings read(ConfigNode node, ConfigNode routesNode) {
        Options.Values values = OPTIONS.read(node);
        List<String> sets = values.get(DESCRIPTOR_SETS);
        Map<String, String> services = new LinkedHashMap<>();
        Map<String, ConfigNode> keys = new LinkedHashMap<>();
        for (ConfigNode route : routesNode.elements("a list of routes")) {
            ConfigNode own = route.get(ROUTE_KEY);
            if (own.exists()) {
                String id = route.get("id").requiredText("a route id");
                services.put(id, own.requiredText("a proto service's full name, such as refgateway.orders.v1.Orders"));
                keys.put(id, own);
            }
        }
        if (services.isEmpty()) {
            // No route translates: the descriptor sets are not even read (nothing initialised for an unused feature).
            return new GrpcSettings(GrpcApis.none(), Map.of(), values.get(MAX_MESSAGE_BYTES),
                                    values.get(STREAM_IDLE_TIMEOUT));
        }
        GrpcApis apis;
        try {
            apis = GrpcApis.load(sets);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(node.get(DESCRIPTOR_SETS.key()).key() + ": " + e.getMessage(), e);
        }
        for (Map.Entry<String, String> route : services.entrySet()) {
            String service = route.getValue();
            ConfigNode own = keys.get(route.getKey());
            Optional<List<HttpBinding>> bindings = apis.bindings(service);
            if (bindings.isEmpty()) {
                throw own.invalid(ConfigNode.quote(service), "a service of " + node.get(DESCRIPTOR_SETS.key()).key()
                        + " " + sets + ": " + new TreeSet<>(apis.services()));
            }
            if (bindings.get().isEmpty()) {
                throw own.invalid(ConfigNode.quote(service), "a service with google.api.http rules on its methods");
            }
        }
        return new GrpcSettings(apis, services, values.get(MAX_MESSAGE_BYTES), values.get(STREAM_IDLE_TIMEOUT));
    }
}
