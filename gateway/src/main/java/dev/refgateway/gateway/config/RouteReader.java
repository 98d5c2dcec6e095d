package dev.refgateway.gateway.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import dev.refgateway.gateway.routing.HeaderMatcher;
import dev.refgateway.gateway.routing.HostMatcher;
import dev.refgateway.gateway.routing.PathPattern;
import dev.refgateway.gateway.routing.PathRewrite;
import dev.refgateway.gateway.routing.Route;
import dev.refgateway.gateway.routing.RoutePolicy;
import dev.refgateway.gateway.routing.RouteTable;

import io.helidon.http.Method;

/** Reads {@code gateway.routes} into a {@link RouteTable}; see {@link GatewaySettings} for the keys. */
final class RouteReader {

    private static final Set<String> ROUTE_KEYS = Set.of("id", "path", "methods", "host", "headers", "service",
            "strip-prefix", "rewrite", "timeout", "per-try-timeout", "retry", "auth",
            "rate-limit", "cors", "allow-encoded-slash");
    private static final Set<String> REWRITE_KEYS = Set.of("regex", "replacement");
    private static final Set<String> HEADER_KEYS = Set.of("name", "value", "regex", "present");
    static final List<String> KNOWN_METHODS =
            List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");
    private static final String NAME_EXPECTATION = "letters, digits, '.', '_' or '-'";

    private RouteReader() {
    }

    static RouteTable read(ConfigNode routesNode, RoutePolicy defaults, SecuritySettings security) {
        List<ConfigNode> elements = routesNode.elements("a list of routes");
        if (elements.isEmpty()) {
            throw new ConfigException(routesNode.key() + ": missing (expected: a list with at least one route)");
        }
        List<Route> routes = new ArrayList<>(elements.size());
        Map<String, String> keyById = new HashMap<>();
        for (ConfigNode element : elements) {
            Route route = route(element, defaults, security);
            String previous = keyById.putIfAbsent(route.id(), element.key());
            if (previous != null) {
                throw element.get("id").invalid(ConfigNode.quote(route.id()), "a unique id; " + previous
                        + " has it already");
            }
            routes.add(route);
        }
        return RouteTable.of(routes);
    }

    private static Route route(ConfigNode node, RoutePolicy defaults, SecuritySettings security) {
        node.allowOnly(ROUTE_KEYS);
        String id = name(node.get("id"), "a route id: " + NAME_EXPECTATION);
        ConfigNode pathNode = node.get("path");
        PathPattern path = parse(pathNode, pathNode.requiredText("a path pattern such as /users/**"),
                                 PathPattern::parse);
        String service = name(node.get("service"), "a Consul service name: " + NAME_EXPECTATION);
        Set<Method> methods = methods(node.get("methods"));
        return new Route(id,
                         path,
                         methods,
                         host(node.get("host")),
                         headers(node.get("headers")),
                         service,
                         rewrite(node),
                         PolicyReader.read(node, defaults),
                         AuthReader.read(node.get("auth"), methods, security),
                         node.get("allow-encoded-slash").bool(false));
    }

    private static String name(ConfigNode node, String expected) {
        String name = node.requiredText(expected);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alphaNumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphaNumeric && c != '.' && c != '_' && c != '-') {
                throw node.invalid(ConfigNode.quote(name), expected);
            }
        }
        return name;
    }

    private static Set<Method> methods(ConfigNode node) {
        Set<Method> methods = new LinkedHashSet<>();
        for (ConfigNode.Value value : node.strings()) {
            String name = value.text().toUpperCase(Locale.ROOT);
            if (!KNOWN_METHODS.contains(name)) {
                throw value.invalid("one of " + String.join(", ", KNOWN_METHODS));
            }
            methods.add(Method.create(name));
        }
        return methods;
    }

    private static Optional<HostMatcher> host(ConfigNode node) {
        if (!node.exists()) {
            return Optional.empty();
        }
        String text = node.requiredText("a host name such as api.example.com or *.example.com");
        return Optional.of(parse(node, text, HostMatcher::parse));
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
        ConfigNode strip = route.get("strip-prefix");
        ConfigNode rewrite = route.get("rewrite");
        if (strip.exists() && rewrite.exists()) {
            throw new ConfigException(route.key() + ": both strip-prefix and rewrite (expected: at most one of them)");
        }
        if (strip.exists()) {
            return PathRewrite.stripPrefix(strip.intIn(0, 0, Integer.MAX_VALUE));
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
