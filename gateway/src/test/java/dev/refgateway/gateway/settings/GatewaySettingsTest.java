package dev.refgateway.gateway.settings;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.refgateway.gateway.admin.AdminSettings;
import dev.refgateway.gateway.config.ConfigException;
import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.failover.RetrySettings;
import dev.refgateway.gateway.failover.RoutePolicy;
import dev.refgateway.gateway.relay.ProxySettings;
import dev.refgateway.gateway.routing.HeaderMatcher;
import dev.refgateway.gateway.routing.PathRewrite;
import dev.refgateway.gateway.routing.Route;
import dev.refgateway.gateway.routing.RouteAuth;
import dev.refgateway.gateway.security.SecuritySettings;
import dev.refgateway.gateway.upstream.BulkheadSettings;
import dev.refgateway.gateway.upstream.CircuitBreakerSettings;
import dev.refgateway.gateway.upstream.OutlierSettings;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.WritableHeaders;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class GatewaySettingsTest {

    @Test
    void servicesWhoseRoutesListInstancesAreNotLeftToConsul() {
        GatewaySettings settings = settings("""
                gateway:
                  routes:
                    - id: listed
                      path: /listed/**
                      service: listed
                      instances: [127.0.0.1:8081, "[::1]:8082", Backend.Example:80]
                    - id: listed-too
                      path: /too/**
                      service: listed
                      instances: [127.0.0.1:8081, "[::1]:8082", backend.example:80]
                    - id: users
                      path: /users/**
                      service: user-service
                """);

        assertThat(settings.staticInstances())
                .containsExactly(Map.entry("listed", List.of("127.0.0.1:8081", "[::1]:8082", "backend.example:80")));
        assertThat(settings.discoveredServices()).containsExactly("user-service");
        assertThat(settings.discovery().consulRestartGrace()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void minimalConfigurationGetsEveryDefault() {
        GatewaySettings settings = settings("""
                gateway:
                  routes:
                    - id: users
                      path: /users/**
                      service: user-service
                """);

        Route users = settings.routes().route("users").orElseThrow();
        assertThat(users.path().pattern()).isEqualTo("/users/**");
        assertThat(users.service()).isEqualTo("user-service");
        assertThat(users.methods()).isEmpty();
        assertThat(users.host()).isEmpty();
        assertThat(users.headers()).isEmpty();
        assertThat(users.rewrite()).isEqualTo(PathRewrite.none());
        assertThat(users.policy()).isEqualTo(RoutePolicy.defaults());
        assertThat(settings.defaultPolicy()).isEqualTo(RoutePolicy.defaults());
        assertThat(settings.proxy()).isEqualTo(ProxySettings.defaults());
        assertThat(settings.outlier()).isEqualTo(OutlierSettings.defaults());
        assertThat(settings.circuitBreaker()).isEqualTo(CircuitBreakerSettings.defaults());
        assertThat(settings.bulkhead()).isEqualTo(BulkheadSettings.defaults());
        assertThat(settings.shutdownDrainTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.security()).isEqualTo(SecuritySettings.defaults());
        assertThat(users.auth()).isEqualTo(RouteAuth.publicAccess());
    }

    @Test
    void documentedDefaultValues() {
        RetrySettings retry = RetrySettings.defaults();
        assertThat(retry.maxAttempts()).isEqualTo(3);
        assertThat(retry.backoffBase()).isEqualTo(Duration.ofMillis(25));
        assertThat(retry.backoffMax()).isEqualTo(Duration.ofMillis(250));
        assertThat(retry.retryOnStatuses()).containsExactly(502, 503, 504);
        assertThat(retry.idempotencyKeyHeader()).isEqualTo("Idempotency-Key");
        assertThat(retry.budgetPercent()).isEqualTo(20.0);
        assertThat(retry.minRetriesInFlight()).isEqualTo(32);
        assertThat(RoutePolicy.defaults().timeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(RoutePolicy.defaults().perTryTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(OutlierSettings.defaults())
                .isEqualTo(new OutlierSettings(5, Duration.ofSeconds(30), Duration.ofSeconds(300), 10));
        assertThat(CircuitBreakerSettings.defaults())
                .isEqualTo(new CircuitBreakerSettings(true, 10, 50, Duration.ofSeconds(5), 1));
        assertThat(BulkheadSettings.defaults()).isEqualTo(new BulkheadSettings(false, 256, 0));
        assertThat(ProxySettings.defaults()).isEqualTo(new ProxySettings(
                java.util.List.of(), 65536, Duration.ofSeconds(1), 64, 0, Duration.ofSeconds(1)));
    }

    @Test
    void everyOptionIsRead() {
        GatewaySettings settings = settings("""
                gateway:
                  shutdown-drain-timeout: PT20S
                  defaults:
                    timeout: 30s
                    per-try-timeout: 3s
                    retry:
                      max-attempts: 4
                      backoff-base: 10ms
                      backoff-max: 1s
                      retry-on-statuses: [503]
                      idempotency-key-header: X-Request-Key
                      budget-percent: 12.5
                      min-retries-in-flight: 1
                  outlier:
                    consecutive-failures: 3
                    base-ejection: 10s
                    max-ejection: 2m
                    max-ejection-percent: 50
                  circuit-breaker:
                    enabled: false
                    volume: 20
                    error-ratio-percent: 75
                    delay: 1s
                    success-threshold: 2
                  bulkhead:
                    enabled: true
                    limit: 16
                    queue-length: 4
                  proxy:
                    trusted-proxies: [10.0.0.0/8, "fd00::/8", 192.168.1.10]
                    max-replay-body-bytes: 0
                    connect-timeout: 250ms
                    connections-per-instance: 8
                    panic-threshold-percent: 50
                    retry-after: 5s
                  routes:
                    - id: users
                      path: /users/**
                      service: user-service
                """);

        assertThat(settings.shutdownDrainTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.defaultPolicy()).isEqualTo(new RoutePolicy(
                Duration.ofSeconds(30), Duration.ofSeconds(3),
                new RetrySettings(4, Duration.ofMillis(10), Duration.ofSeconds(1), Set.of(503), "X-Request-Key",
                                  12.5, 1)));
        assertThat(settings.routes().route("users").orElseThrow().policy()).isEqualTo(settings.defaultPolicy());
        assertThat(settings.outlier())
                .isEqualTo(new OutlierSettings(3, Duration.ofSeconds(10), Duration.ofMinutes(2), 50));
        assertThat(settings.circuitBreaker())
                .isEqualTo(new CircuitBreakerSettings(false, 20, 75, Duration.ofSeconds(1), 2));
        assertThat(settings.bulkhead()).isEqualTo(new BulkheadSettings(true, 16, 4));
        assertThat(settings.proxy()).isEqualTo(new ProxySettings(
                java.util.List.of("10.0.0.0/8", "fd00::/8", "192.168.1.10"), 0, Duration.ofMillis(250), 8, 50,
                Duration.ofSeconds(5)));
    }

    @Test
    void routeReadsItsMatchersRewriteAndPolicyOverrides() {
        GatewaySettings settings = settings("""
                gateway:
                  defaults:
                    retry:
                      max-attempts: 4
                  routes:
                    - id: users-v2
                      path: /api/*/users/**
                      service: user-service
                      methods: [get, HEAD]
                      host: "*.example.com"
                      headers:
                        - name: X-Api-Version
                          value: "2"
                        - name: X-Canary
                          present: true
                        - name: User-Agent
                          regex: ^curl/
                      rewrite:
                        regex: ^/api/[^/]+/(.*)
                        replacement: /$1
                      timeout: 4s
                      retry:
                        backoff-max: 1s
                    - id: orders
                      path: /orders/**
                      service: order-service
                      methods: POST, PUT
                      strip-prefix: 1
                """);

        Route users = settings.routes().route("users-v2").orElseThrow();
        assertThat(users.methods()).containsExactlyInAnyOrder(Method.GET, Method.HEAD);
        assertThat(users.host()).map(Object::toString).contains("*.example.com");
        assertThat(users.headers()).containsExactly(HeaderMatcher.exact("X-Api-Version", "2"),
                                                    HeaderMatcher.present("X-Canary"),
                                                    users.headers().get(2));
        assertThat(users.headers().get(2)).hasToString("User-Agent ~ ^curl/");
        assertThat(users.rewrite().apply("/api/v2/users/7")).isEqualTo("/users/7");
        assertThat(users.policy().timeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(users.policy().perTryTimeout()).as("inherited 5s, capped at the route's timeout")
                .isEqualTo(Duration.ofSeconds(4));
        assertThat(users.policy().retry().maxAttempts()).as("inherited from gateway.defaults").isEqualTo(4);
        assertThat(users.policy().retry().backoffMax()).isEqualTo(Duration.ofSeconds(1));
        assertThat(users.policy().retry().backoffBase()).isEqualTo(Duration.ofMillis(25));

        Route orders = settings.routes().route("orders").orElseThrow();
        assertThat(orders.methods()).containsExactlyInAnyOrder(Method.POST, Method.PUT);
        assertThat(orders.rewrite().apply("/orders/9")).isEqualTo("/9");
        assertThat(orders.policy().retry().maxAttempts()).isEqualTo(4);
    }

    @Test
    void readRoutesMatchRequests() {
        GatewaySettings settings = settings("""
                gateway:
                  routes:
                    - id: fallback
                      path: /**
                      service: web
                    - id: users
                      path: /users/**
                      service: user-service
                    - id: users-canary
                      path: /users/**
                      service: user-service-canary
                      headers:
                        - {name: X-Canary, present: true}
                """);
        WritableHeaders<?> canary = WritableHeaders.create();
        canary.add(HeaderNames.create("x-canary"), "yes");

        assertThat(settings.routes().match(Method.GET, "localhost", "/users/1", canary)).map(Route::id)
                .contains("users-canary");
        assertThat(settings.routes().match(Method.GET, "localhost", "/users/1", WritableHeaders.create()))
                .map(Route::id).contains("users");
        assertThat(settings.routes().match(Method.GET, "localhost", "/about", WritableHeaders.create()))
                .map(Route::id).contains("fallback");
        assertThat(settings.routes().services()).containsExactly("web", "user-service", "user-service-canary");
    }

    @Test
    void commaSeparatedValueSetsAListTheWayAnEnvironmentVariableWould() {
        Config config = Config.just(
                ConfigSources.create(Map.of("gateway.proxy.trusted-proxies", "10.0.0.0/8, 172.16.0.0/12")),
                ConfigSources.create("""
                        gateway:
                          routes:
                            - id: users
                              path: /users/**
                              service: user-service
                        """, MediaTypes.APPLICATION_X_YAML));

        assertThat(GatewaySettings.create(config.get("gateway")).proxy().trustedProxies())
                .containsExactly("10.0.0.0/8", "172.16.0.0/12");
    }

    @Test
    void commaSeparatedValueReplacesTheShippedList() {
        Config config = Config.just(
                ConfigSources.create(Map.of("gateway.proxy.trusted-proxies", "10.0.0.0/8,fd00::/8",
                                            "gateway.defaults.retry.retry-on-statuses", "503")),
                ConfigSources.classpath("application.yaml"));

        GatewaySettings settings = GatewaySettings.create(config.get("gateway"));

        assertThat(settings.proxy().trustedProxies()).containsExactly("10.0.0.0/8", "fd00::/8");
        assertThat(settings.defaultPolicy().retry().retryOnStatuses()).containsExactly(503);
    }

    @Test
    void shippedApplicationYamlIsValid() {
        Config config = Config.just(ConfigSources.classpath("application.yaml"));

        GatewaySettings settings = GatewaySettings.create(config.get("gateway"));

        assertThat(settings.routes().routes()).map(Route::id).containsExactlyInAnyOrder("users", "orders",
                                                                                        "orders-grpc");
        assertThat(settings.routes().services()).containsExactlyInAnyOrder("user-service", "order-service",
                                                                           "order-service-grpc");
        assertThat(settings.grpc().serviceOf("orders-grpc")).contains("refgateway.orders.v1.Orders");
        assertThat(settings.grpc().serviceOf("orders")).isEmpty();
        assertThat(settings.defaultPolicy()).isEqualTo(RoutePolicy.defaults());
        assertThat(settings.proxy()).isEqualTo(ProxySettings.defaults());
        assertThat(settings.outlier()).isEqualTo(OutlierSettings.defaults());
        assertThat(settings.circuitBreaker()).isEqualTo(CircuitBreakerSettings.defaults());
        assertThat(settings.bulkhead()).isEqualTo(BulkheadSettings.defaults());
        assertThat(settings.security()).isEqualTo(SecuritySettings.defaults());
        assertThat(settings.routes().routes()).map(Route::auth).containsOnly(RouteAuth.publicAccess());
    }

    @Test
    void shippedAdminSocketListensOnTheLoopbackUnlessItsKeysSayOtherwise() {
        Config shipped = Config.just(ConfigSources.classpath("application.yaml"));
        Config overridden = Config.just(ConfigSources.create(Map.of("admin.port", "9191", "admin.host", "0.0.0.0")),
                                        ConfigSources.classpath("application.yaml"));

        assertThat(AdminSettings.create(shipped.get("admin")))
                .isEqualTo(new AdminSettings(8090, "127.0.0.1", java.util.Optional.empty()));
        assertThat(AdminSettings.create(overridden.get("admin")))
                .isEqualTo(new AdminSettings(9191, "0.0.0.0", java.util.Optional.empty()));
    }

    @Test
    void anAdminTokenTooShortToBeSecretIsRefusedWithoutBeingEchoed() {
        Config config = Config.just(ConfigSources.create(Map.of("admin.token", "short")));

        assertThatThrownBy(() -> AdminSettings.create(config.get("admin")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("admin.token: (redacted, 5 characters)")
                .hasMessageNotContaining("short");
    }

    @Test
    void settingsReadFromTheirOwnNodes() {
        Config config = Config.just(ConfigSources.create("""
                retry:
                  max-attempts: 2
                """, MediaTypes.APPLICATION_X_YAML));

        RetrySettings inheritedFromBase = RetrySettings.read(ConfigNode.of(config.get("retry")), new RetrySettings(
                5, Duration.ZERO, Duration.ZERO, Set.of(), "Idem", 0, 0));

        assertThat(RetrySettings.read(ConfigNode.of(config.get("retry")), RetrySettings.defaults()).maxAttempts()).isEqualTo(2);
        assertThat(inheritedFromBase.maxAttempts()).isEqualTo(2);
        assertThat(inheritedFromBase.idempotencyKeyHeader()).isEqualTo("Idem");
        assertThat(OutlierSettings.read(ConfigNode.of(config.get("outlier")))).isEqualTo(OutlierSettings.defaults());
        assertThat(Optional.of(ProxySettings.read(ConfigNode.of(config.get("proxy"))))).contains(ProxySettings.defaults());
    }

    public static GatewaySettings settings(String yaml) {
        return GatewaySettings.create(yamlConfig(yaml).get("gateway"));
    }

    public static Config yamlConfig(String yaml) {
        return Config.just(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML));
    }
}
