package dev.refgateway.gateway.settings;

import dev.refgateway.gateway.config.ConfigException;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each invalid configuration stops the start with a message naming the full key and the bad value. */
class GatewaySettingsValidationTest {

    private static final String VALID_ROUTE = """
            - id: users
              path: /users/**
              service: user-service
            """;

    @Test
    void missingServiceIsNamed() {
        assertRejected("""
                - id: users
                  path: /users/**
                """, "gateway.routes[0].service: missing (expected: a Consul service name: letters, digits, '.', "
                     + "'_' or '-')");
    }

    @Test
    void missingIdAndPathAreNamed() {
        assertRejected("""
                - path: /users/**
                  service: user-service
                """, "gateway.routes[0].id: missing (expected: a route id: letters, digits, '.', '_' or '-')");
        assertRejected("""
                - id: users
                  service: user-service
                """, "gateway.routes[0].path: missing (expected: a path pattern such as /users/**)");
    }

    @Test
    void badPathNamesKeyAndValue() {
        assertRejected(VALID_ROUTE + """
                - id: orders
                  path: /orders/**
                  service: order-service
                - id: broken
                  path: users/**
                  service: user-service
                """, "gateway.routes[2].path: \"users/**\" (expected: starts with '/')");
        assertRejected("""
                - id: users
                  path: /users/**/orders
                  service: user-service
                """, "gateway.routes[0].path: \"/users/**/orders\" (expected: '**' only as the last segment)");
    }

    @Test
    void unknownMethodNamesItsListIndex() {
        assertRejected("""
                - id: users
                  path: /users/**
                  service: user-service
                  methods: [GET, FETCH]
                """, "gateway.routes[0].methods[1]: \"FETCH\" (expected: one of GET, HEAD, POST, PUT, DELETE, PATCH, "
                     + "OPTIONS, TRACE, CONNECT)");
    }

    @Test
    void stripPrefixTogetherWithRewriteIsRejected() {
        assertRejected("""
                - id: users
                  path: /users/**
                  service: user-service
                  strip-prefix: 1
                  rewrite:
                    regex: ^/users/(.*)
                    replacement: /$1
                """, "gateway.routes[0]: both strip-prefix and rewrite (expected: at most one of them)");
    }

    @Test
    void negativeStripPrefixIsRejected() {
        assertRejected("""
                - id: users
                  path: /users/**
                  service: user-service
                  strip-prefix: -1
                """, "gateway.routes[0].strip-prefix: -1 (expected: >= 0)");
    }

    @Test
    void rewriteErrorsNameTheRegexOrReplacementKey() {
        assertRejected("""
                - id: users
                  path: /users/**
                  service: user-service
                  rewrite:
                    regex: ^/users/(.*)
                    replacement: /$2
                """, "gateway.routes[0].rewrite.replacement: \"/$2\" (expected: only groups the regex has; it has "
                     + "1 group(s))");
        assertRejectedStartingWith("""
                - id: users
                  path: /users/**
                  service: user-service
                  rewrite:
                    regex: ^/users/(.*
                    replacement: /$1
                """, "gateway.routes[0].rewrite.regex: \"^/users/(.*\" (expected: a Java regular expression; ");
        assertRejected("""
                - id: users
                  path: /users/**
                  service: user-service
                  rewrite:
                    regex: ^/users/(.*)
                """, "gateway.routes[0].rewrite.replacement: missing (expected: the new path, such as /$1)");
    }

    @Test
    void perTryTimeoutLongerThanTimeoutIsRejected() {
        assertRejected("""
                - id: users
                  path: /users/**
                  service: user-service
                  per-try-timeout: 20s
                """, "gateway.routes[0].per-try-timeout: \"20s\" (expected: <= timeout 15s)");
        assertRejectedConfig("""
                gateway:
                  defaults:
                    timeout: 2s
                    per-try-timeout: 2500ms
                """ + routes(VALID_ROUTE), "gateway.defaults.per-try-timeout: \"2500ms\" (expected: <= timeout 2s)");
    }

    @Test
    void listedInstancesAreAddressesAndTheSameOnEveryRouteToTheService() {
        assertRejected("""
                - id: a
                  path: /a/**
                  service: listed
                  instances: [127.0.0.1:8081, "localhost"]
                """, "gateway.routes[0].instances[1]: \"localhost\" (expected: host:port, such as 127.0.0.1:8081 or "
                     + "[::1]:8081)");
        assertRejected("""
                - id: a
                  path: /a/**
                  service: listed
                  instances: ["127.0.0.1:70000"]
                """, "gateway.routes[0].instances[0]: \"127.0.0.1:70000\" (expected: host:port, such as "
                     + "127.0.0.1:8081 or [::1]:8081)");
        assertRejected("""
                - id: a
                  path: /a/**
                  service: listed
                  instances: [127.0.0.1:8081]
                - id: b
                  path: /b/**
                  service: listed
                """, "gateway.routes[1].instances: (none) (expected: [127.0.0.1:8081], as gateway.routes[0] has for "
                     + "service listed: a service's instances are the same on every route)");
    }

    @Test
    void unknownRouteKeyIsNamedWithASuggestion() {
        assertRejected("""
                - id: users
                  path: /users/**
                  servce: user-service
                """, "gateway.routes[0].servce: unknown key (expected: one of allow-encoded-slash, auth, cors, grpc, headers, host, "
                     + "id, instances, methods, path, "
                     + "per-try-timeout, rate-limit, retry, rewrite, service, strip-prefix, "
                     + "timeout; did you mean 'service'?)");
    }

    @Test
    void aGrpcRouteNamesAServiceOfTheDescriptorSetsThatHasHttpRules() {
        assertRejected("""
                - id: orders
                  path: /v1/**
                  service: order-service-grpc
                  grpc: refgateway.orders.v1.Nope
                """, "gateway.routes[0].grpc: \"refgateway.orders.v1.Nope\" (expected: a service of "
                     + "gateway.grpc.descriptor-sets [classpath:grpc/refgateway.pb]: [refgateway.orders.v1.Orders])");
        assertRejectedConfig("""
                gateway:
                  grpc:
                    descriptor-sets: [/nowhere/api.pb]
                  routes:
                    - id: orders
                      path: /v1/**
                      service: order-service-grpc
                      grpc: refgateway.orders.v1.Orders
                """, "gateway.grpc.descriptor-sets: \"/nowhere/api.pb\" (expected: a readable descriptor set; "
                     + "/nowhere/api.pb)");
    }

    @Test
    void unknownKeysInOtherSectionsAreNamed() {
        assertRejectedConfig("""
                gateway:
                  outlier:
                    consecutive-failure: 3
                """ + routes(VALID_ROUTE), "gateway.outlier.consecutive-failure: unknown key (expected: one of "
                + "base-ejection, consecutive-failures, max-ejection, max-ejection-percent; did you mean "
                + "'consecutive-failures'?)");
        assertRejected("""
                - id: users
                  path: /users/**
                  service: user-service
                  retry:
                    attempts: 2
                """, "gateway.routes[0].retry.attempts: unknown key (expected: one of backoff-base, backoff-max, "
                     + "budget-percent, idempotency-key-aware, idempotency-key-header, max-attempts, "
                     + "min-retries-in-flight, retry-on-statuses)");
    }

    @Test
    void unknownTopLevelKeysBelongToOtherComponents() {
        assertThatNoException().isThrownBy(() -> GatewaySettingsTest.settings("""
                gateway:
                  security:
                    api-keys: []
                """ + routes(VALID_ROUTE)));
    }

    @Test
    void duplicateIdNamesBothRoutes() {
        assertRejected(VALID_ROUTE + """
                - id: users
                  path: /people/**
                  service: user-service
                """, "gateway.routes[1].id: \"users\" (expected: a unique id; gateway.routes[0] has it already)");
    }

    @Test
    void badTrustedProxyIsNamedWithItsIndex() {
        assertRejectedConfig("""
                gateway:
                  proxy:
                    trusted-proxies: [10.0.0.0/8, 10.0.0.0/33]
                """ + routes(VALID_ROUTE), "gateway.proxy.trusted-proxies[1]: \"10.0.0.0/33\" (expected: a prefix length of "
                + "0..32 after '/')");
        assertRejectedConfig("""
                gateway:
                  proxy:
                    trusted-proxies: [proxy.internal]
                """ + routes(VALID_ROUTE), "gateway.proxy.trusted-proxies[0]: \"proxy.internal\" (expected: an IPv4 "
                + "or IPv6 address, optionally with a /prefix)");
    }

    @Test
    void atLeastOneRouteIsRequired() {
        assertRejectedConfig("""
                gateway:
                  proxy:
                    connect-timeout: 1s
                """, "gateway.routes: missing (expected: a list with at least one route)");
        assertRejectedConfig("""
                gateway:
                  routes: []
                """, "gateway.routes: missing (expected: a list with at least one route)");
        assertThatThrownBy(() -> GatewaySettings.create(Config.empty().get("gateway")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("gateway: missing (expected: the gateway section with at least one route)");
    }

    @Test
    void routesAsAMapAreRejected() {
        assertRejectedConfig("""
                gateway:
                  routes:
                    users:
                      path: /users/**
                """, "gateway.routes: (a map) (expected: a list of routes)");
    }

    @Test
    void malformedValuesNameTheKey() {
        assertRejectedConfig("""
                gateway:
                  defaults:
                    timeout: 15 seconds
                """ + routes(VALID_ROUTE),
                "gateway.defaults.timeout: \"15 seconds\" (expected: a duration such as 15s, 250ms or PT15S)");
        assertRejectedConfig("""
                gateway:
                  defaults:
                    retry:
                      max-attempts: 11
                """ + routes(VALID_ROUTE), "gateway.defaults.retry.max-attempts: 11 (expected: 1 to 10)");
        assertRejectedConfig("""
                gateway:
                  defaults:
                    retry:
                      retry-on-statuses: [503, 429]
                """ + routes(VALID_ROUTE), "gateway.defaults.retry.retry-on-statuses[1]: \"429\" (expected: a status "
                + "code from 500 to 599; other statuses are the upstream's answer)");
        assertRejectedConfig("""
                gateway:
                  circuit-breaker:
                    enabled: maybe
                """ + routes(VALID_ROUTE), "gateway.circuit-breaker.enabled: \"maybe\" (expected: true or false)");
        assertRejectedConfig("""
                gateway:
                  bulkhead:
                    limit: lots
                """ + routes(VALID_ROUTE), "gateway.bulkhead.limit: \"lots\" (expected: an integer)");
        assertRejectedConfig("""
                gateway:
                  outlier:
                    base-ejection: 1m
                    max-ejection: 30s
                """ + routes(VALID_ROUTE), "gateway.outlier.max-ejection: \"30s\" (expected: >= base-ejection 60s)");
        assertRejectedConfig("""
                gateway:
                  proxy:
                    panic-threshold-percent: 101
                """ + routes(VALID_ROUTE), "gateway.proxy.panic-threshold-percent: 101 (expected: 0 to 100)");
    }

    @Test
    void badMatchersNameTheirKeys() {
        assertRejected("""
                - id: users
                  path: /users/**
                  service: user-service
                  host: api.example.com:8080
                """, "gateway.routes[0].host: \"api.example.com:8080\" (expected: a host name without port, "
                     + "optionally starting with '*.')");
        assertRejected("""
                - id: users
                  path: /users/**
                  service: user-service
                  headers:
                    - name: X Version
                      value: "2"
                """, "gateway.routes[0].headers[0].name: \"X Version\" (expected: a header name: letters, digits and "
                     + "!#$%&'*+-.^_`|~)");
        assertRejected("""
                - id: users
                  path: /users/**
                  service: user-service
                  headers:
                    - name: X-Version
                      value: "2"
                      regex: ^2
                """, "gateway.routes[0].headers[0]: 2 conditions (expected: exactly one of value, regex or present)");
        assertRejected("""
                - id: users
                  path: /users/**
                  service: user-service
                  headers:
                    X-Version: "2"
                """, "gateway.routes[0].headers: (a map) (expected: a list of {name, and one of value, regex or "
                     + "present})");
    }

    @Test
    void idWithCharactersUnfitForMetricsIsRejected() {
        assertRejected("""
                - id: users route
                  path: /users/**
                  service: user-service
                """, "gateway.routes[0].id: \"users route\" (expected: a route id: letters, digits, '.', '_' or '-')");
    }

    private static String routes(String routes) {
        return "  routes:\n" + routes.indent(2);
    }

    private static void assertRejected(String routes, String message) {
        assertRejectedConfig("gateway:\n" + routes(routes), message);
    }

    private static void assertRejectedStartingWith(String routes, String messageStart) {
        assertThatThrownBy(() -> GatewaySettingsTest.settings("gateway:\n" + routes(routes)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(messageStart);
    }

    private static void assertRejectedConfig(String yaml, String message) {
        Config config = Config.just(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML));
        assertThatThrownBy(() -> GatewaySettings.create(config.get("gateway")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }
}
