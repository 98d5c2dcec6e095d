package dev.refgateway.gateway.settings;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import dev.refgateway.gateway.config.ConfigException;
import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;
import dev.refgateway.gateway.failover.RoutePolicy;
import dev.refgateway.gateway.grpc.GrpcSettings;
import dev.refgateway.gateway.http1.StandardMethods;
import dev.refgateway.gateway.routing.HeaderMatcher;
import dev.refgateway.gateway.routing.HostMatcher;
import dev.refgateway.gateway.routing.PathPattern;
import dev.refgateway.gateway.routing.PathRewrite;
import dev.refgateway.gateway.routing.Route;
import dev.refgateway.gateway.routing.RouteTable;
import dev.refgateway.gateway.security.SecuritySettings;

import io.helidon.http.Method;

/** Reads {@code gateway.routes} into a {@link RouteTable}; every key of a route is in {@link #OPTIONS}. */
final class RouteReader {

    private static final String NAME_EXPECTATION = "letters, digits, '.', '_' or '-'";

    static final Option.Text ID = Option.text(
            "id", "", RouteReader::isName, "a route id: " + NAME_EXPECTATION,
            "Names the route in metrics, logs and the admin API; unique.").required("a route id: " + NAME_EXPECTATION);
    static final Option.Parsed<PathPattern> PATH = Option.parsed(
            "path", PathPattern::parse, "a path pattern such as /users/**",
            "Required. The paths the route takes: /users (exact), /users/* (one segment), /users/** (any below), "
                    + "matched on the canonical path.").required("a path pattern such as /users/**");
    static final Option.Text SERVICE = Option.text(
            "service", "", RouteReader::isName, "a Consul service name: " + NAME_EXPECTATION,
            "The service whose instances serve the route.").required("a Consul service name: " + NAME_EXPECTATION);
    static final Option.Items<String> METHODS = Option.list(
            "methods", List.of(), RouteReader::method, "one of " + String.join(", ", StandardMethods.ALL),
            "The methods the route takes; empty: any.");
    static final Option.Parsed<HostMatcher> HOST = Option.parsed(
            "host", HostMatcher::parse, "a host name such as api.example.com or *.example.com",
            "The Host the route takes (*.example.com: any one label in front); absent: any.");
    static final Option.Section HEADERS = Option.section(
            "headers", "list", "Headers that must all hold: [{name, and one of value, regex or present: true}].");
    static final Option.Int STRIP_PREFIX = Option.integer(
            "strip-prefix", 0, 0, Integer.MAX_VALUE, "Leading path segments dropped before forwarding.");
    static final Option.Section REWRITE = Option.section(
            "rewrite", "map", "{regex, replacement}: the forwarded path rewritten (not with strip-prefix).");
    static final Option.Section AUTH = Option.section(
            "auth", "map", "{policy: public | api-key | jwt | any-of, scopes: [..] or {METHOD: [..], \"*\": [..]}}; "
                    + "absent: gateway.security.default-policy, no scopes.");
    static final Option.Section RATE_LIMIT = Option.section(
            "rate-limit", "map", "The route's own limit, replacing gateway.rate-limit.default: see "
                    + "gateway.routes[i].rate-limit.");
    static final Option.Section CORS = Option.section(
            "cors", "map", "The route's own CORS rules, replacing gateway.cors as a whole.");
    static final Option.Items<String> INSTANCES = Option.list(
            "instances", List.of(), RouteReader::address, "host:port, such as 127.0.0.1:8081 or [::1]:8081",
            "The service's instances, listed rather than discovered in Consul (Envoy's STATIC cluster); every route "
                    + "to the service lists the same ones. Absent: Consul. No route using Consul: no Consul needed.");
    static final Option.Section GRPC = Option.section(
            GrpcSettings.ROUTE_KEY, "text", "A proto service's full name (refgateway.orders.v1.Orders): the route "
                    + "translates HTTP/JSON to gRPC calls of its methods, by their google.api.http rules; see "
                    + "gateway.grpc.");
    static final Option.Flag ALLOW_ENCODED_SLASH = Option.flag(
            "allow-encoded-slash", false, "Whether %2F may appear in the route's paths (forwarded encoded); "
                    + "elsewhere it is refused with 400.");
    static final Options OPTIONS = Options.of(
            "gateway.routes[i]", "One route: which requests it takes, where they go, and its own policies.",
            ID, PATH, SERVICE, INSTANCES, METHODS, HOST, HEADERS, STRIP_PREFIX, REWRITE, RoutePolicy.TIMEOUT,
            RoutePolicy.PER_TRY_TIMEOUT, RoutePolicy.RETRY, AUTH, RATE_LIMIT, CORS, GRPC, ALLOW_ENCODED_SLASH);

    private static final Set<String> REWRITE_KEYS = Set.of("regex", "replacement");
    private static final Set<String> HEADER_KEYS = Set.of("name", "value", "regex", "present");

    private RouteReader() {
    }

    /**
     * The routes, and the instances of every service whose routes list them.
     *
     * @param table           the route table
     * @param staticInstances {@code host:port} entries by service, for the services not discovered in Consul
     */
    record Routes(RouteTable table, Map<String, List<String>> staticInstances) {
    }

    static Routes read(ConfigNode routesNode, RoutePolicy defaults, SecuritySettings security) {
        List<ConfigNode> elements = routesNode.elements("a list of routes");
        if (elements.isEmpty()) {
            throw new ConfigException(routesNode.key() + ": missing (expected: a list with at least one route)");
        }
        List<Route> routes = new ArrayList<>(elements.size());
        Map<String, String> keyById = new HashMap<>();
        Map<String, List<String>> instancesByService = new LinkedHashMap<>();
        Map<String, String> keyByService = new HashMap<>();
        for (ConfigNode element : elements) {
            Route route = route(element, defaults, security);
            String previous = keyById.putIfAbsent(route.id(), element.key());
            if (previous != null) {
                throw element.get("id").invalid(ConfigNode.quote(route.id()), "a unique id; " + previous
                        + " has it already");
            }
            routes.add(route);
            List<String> instances = INSTANCES.read(element);
            String first = keyByService.putIfAbsent(route.service(), element.key());
            if (first == null) {
                instancesByService.put(route.service(), instances);
            } else if (!instancesByService.get(route.service()).equals(instances)) {
                List<String> listed = instancesByService.get(route.service());
                throw element.get(INSTANCES.key()).invalid(instances.isEmpty() ? "(none)" : instances.toString(),
                        (listed.isEmpty() ? "none, as " : listed + ", as ") + first + " has for service "
                                + route.service() + ": a service's instances are the same on every route");
            }
        }
        instancesByService.values().removeIf(List::isEmpty);
        return new Routes(RouteTable.of(routes), instancesByService);
    }

    // host:port, host a name, an IPv4 address or [an IPv6 address]: what a socket can connect to, nothing else
    private static String address(String text) {
        String address = text.strip().toLowerCase(Locale.ROOT);
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? "" : address.substring(0, colon);
        String port = colon < 0 ? "" : address.substring(colon + 1);
        boolean hostValid = host.startsWith("[")
                ? host.length() > 2 && host.endsWith("]") && host.substring(1, host.length() - 1).chars()
                        .allMatch(c -> Character.digit(c, 16) >= 0 && c < 128 || c == ':' || c == '.')
                : !host.isEmpty() && host.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '.');
        boolean portValid = !port.isEmpty() && port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9')
                && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
        return hostValid && portValid ? host + ":" + Integer.parseInt(port) : null;
    }

    private static Route route(ConfigNode node, RoutePolicy defaults, SecuritySettings security) {
        OPTIONS.checkKeys(node);
        String id = ID.read(node);
        PathPattern path = PATH.read(node);
        String service = SERVICE.read(node);
        Set<Method> methods = new LinkedHashSet<>();
        METHODS.read(node).forEach(name -> methods.add(Method.create(name)));
        return new Route(id,
                         path,
                         methods,
                         Optional.ofNullable(HOST.read(node)),
                         headers(HEADERS.read(node)),
                         service,
                         rewrite(node),
                         RoutePolicy.readRoute(node, defaults),
                         AuthReader.read(AUTH.read(node), methods, security),
                         ALLOW_ENCODED_SLASH.read(node));
    }

    private static boolean isName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alphaNumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphaNumeric && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static String method(String text) {
        String name = text.toUpperCase(Locale.ROOT);
        return StandardMethods.ALL.contains(name) ? name : null;
    }

    private static List<HeaderMatcher> headers(ConfigNode node) {
        List<HeaderMatcher> matchers = new ArrayList<>();
        for (ConfigNode element : node.elements("a list of {name, and one of value, regex or present}")) {
            element.allowOnly(HEADER_KEYS);
            ConfigNode nameNode = element.get("name");
            String name = nameNode.requiredText("a header name");
            ConfigNode value = element.get("value");
            ConfigNode regex = element.get("regex");
            ConfigNode present = element.get("present");
            int conditions = (value.exists() ? 1 : 0) + (regex.exists() ? 1 : 0) + (present.exists() ? 1 : 0);
            if (conditions != 1) {
                throw new ConfigException(element.key() + ": " + conditions + " conditions (expected: exactly one of "
                        + "value, regex or present)");
            }
            // Validate the name first so that a bad name is blamed on the name key.
            parse(nameNode, name, HeaderMatcher::present);
            if (value.exists()) {
                matchers.add(HeaderMatcher.exact(name, value.text().orElse("")));
            } else if (regex.exists()) {
                String pattern = regex.requiredText("a Java regular expression");
                matchers.add(parse(regex, pattern, p -> HeaderMatcher.regex(name, p)));
            } else {
                if (!present.bool(true)) {
                    throw present.invalid("false", "true; a route cannot require a header to be absent");
                }
                matchers.add(HeaderMatcher.present(name));
            }
        }
        return matchers;
    }

    private static PathRewrite rewrite(ConfigNode route) {
        ConfigNode strip = route.get(STRIP_PREFIX.key());
        ConfigNode rewrite = REWRITE.read(route);
        if (strip.exists() && rewrite.exists()) {
            throw new ConfigException(route.key() + ": both strip-prefix and rewrite (expected: at most one of them)");
        }
        if (strip.exists()) {
            return PathRewrite.stripPrefix(STRIP_PREFIX.read(route));
        }
        if (!rewrite.exists()) {
            return PathRewrite.none();
        }
        rewrite.allowOnly(REWRITE_KEYS);
        ConfigNode regexNode = rewrite.get("regex");
        String regex = regexNode.requiredText("a Java regular expression such as ^/api/v1/(.*)");
        parse(regexNode, regex, r -> PathRewrite.regex(r, "")); // blames a bad regex on the regex key
        ConfigNode replacementNode = rewrite.get("replacement");
        String replacement = replacementNode.text().orElseThrow(() -> new ConfigException(
                replacementNode.key() + ": missing (expected: the new path, such as /$1)"));
        return parse(replacementNode, replacement, r -> PathRewrite.regex(regex, r));
    }

    // Runs a routing parser and turns its IllegalArgumentException ("value" (expected: ...)) into a keyed one.
    private static <T> T parse(ConfigNode node, String text, Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(node.key() + ": " + e.getMessage(), e);
        }
    }
}
