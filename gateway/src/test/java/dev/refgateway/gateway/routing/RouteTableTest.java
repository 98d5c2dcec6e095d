package dev.refgateway.gateway.routing;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Method;
import io.helidon.http.WritableHeaders;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteTableTest {

    private static final Headers NO_HEADERS = WritableHeaders.create();

    @Test
    void mostSpecificPathWinsWhateverTheDeclarationOrder() {
        RouteTable table = RouteTable.of(List.of(
                Route.of("fallback", "/**", "web"),
                Route.of("users", "/users/**", "user-service"),
                Route.of("user-orders", "/users/*/orders", "order-service"),
                Route.of("user-list", "/users", "user-list-service")));

        assertThat(matchedId(table, Method.GET, "/users/7/orders")).contains("user-orders");
        assertThat(matchedId(table, Method.GET, "/users")).contains("user-list");
        assertThat(matchedId(table, Method.GET, "/users/")).contains("users");
        assertThat(matchedId(table, Method.GET, "/users/7")).contains("users");
        assertThat(matchedId(table, Method.GET, "/usersx")).contains("fallback");
        assertThat(matchedId(table, Method.GET, "/")).contains("fallback");
        assertThat(table.routes()).map(Route::id).containsExactly("user-orders", "user-list", "users", "fallback");
    }

    @Test
    void noMatchingRouteGivesEmpty() {
        RouteTable table = RouteTable.of(List.of(Route.of("users", "/users/**", "user-service")));

        assertThat(table.match(Method.GET, "localhost", "/orders/1", NO_HEADERS)).isEmpty();
        assertThat(table.match(Method.GET, "localhost", "/usersx", NO_HEADERS)).isEmpty();
    }

    @Test
    void routeWithMethodsWinsOverTheSamePathWithoutAndOthersFallThrough() {
        RouteTable table = RouteTable.of(List.of(
                Route.of("users-read", "/users/**", "user-reader"),
                withMethods(Route.of("users-write", "/users/**", "user-writer"), Method.POST, Method.PUT)));

        assertThat(matchedId(table, Method.POST, "/users/1")).contains("users-write");
        assertThat(matchedId(table, Method.PUT, "/users/1")).contains("users-write");
        assertThat(matchedId(table, Method.GET, "/users/1")).contains("users-read");
        assertThat(matchedId(table, Method.DELETE, "/users/1")).contains("users-read");
    }

    @Test
    void methodRestrictedRouteAloneDoesNotMatchOtherMethods() {
        RouteTable table = RouteTable.of(List.of(
                withMethods(Route.of("users-write", "/users/**", "user-writer"), Method.POST)));

        assertThat(table.match(Method.GET, null, "/users/1", NO_HEADERS)).isEmpty();
    }

    @Test
    void hostRouteTakesItsHostAndOtherHostsFallThroughToTheCatchAll() {
        Route plain = Route.of("fallback", "/**", "web");
        Route admin = Route.of("admin", "/**", "admin-service");
        admin = new Route(admin.id(), admin.path(), admin.methods(), Optional.of(HostMatcher.parse("admin.example.com")),
                          admin.headers(), admin.service(), admin.rewrite(), admin.policy(), admin.auth());
        RouteTable table = RouteTable.of(List.of(plain, admin));

        assertThat(table.match(Method.GET, "ADMIN.example.com:8443", "/x", NO_HEADERS)).map(Route::id)
                .contains("admin");
        assertThat(table.match(Method.GET, "www.example.com", "/x", NO_HEADERS)).map(Route::id).contains("fallback");
        assertThat(table.match(Method.GET, null, "/x", NO_HEADERS)).map(Route::id).contains("fallback");
    }

    @Test
    void headerRouteTakesMatchingRequestsOnly() {
        Route stable = Route.of("users", "/users/**", "user-service");
        Route canary = Route.of("users-canary", "/users/**", "user-service-canary");
        canary = new Route(canary.id(), canary.path(), canary.methods(), canary.host(),
                           List.of(HeaderMatcher.present("X-Canary"), HeaderMatcher.regex("X-Api-Version", "^v2")),
                           canary.service(), canary.rewrite(), canary.policy(), canary.auth());
        RouteTable table = RouteTable.of(List.of(stable, canary));
        WritableHeaders<?> both = WritableHeaders.create();
        both.add(HeaderNames.create("X-Canary"), "1");
        both.add(HeaderNames.create("X-Api-Version"), "v2.1");
        WritableHeaders<?> onlyOne = WritableHeaders.create();
        onlyOne.add(HeaderNames.create("X-Canary"), "1");

        assertThat(table.match(Method.GET, null, "/users/1", both)).map(Route::service).contains("user-service-canary");
        assertThat(table.match(Method.GET, null, "/users/1", onlyOne)).map(Route::service).contains("user-service");
        assertThat(table.match(Method.GET, null, "/users/1", NO_HEADERS)).map(Route::service).contains("user-service");
    }

    @Test
    void equallySpecificRoutesKeepDeclarationOrder() {
        RouteTable table = RouteTable.of(List.of(Route.of("first", "/a/**", "one"),
                                                 Route.of("second", "/a/**", "two")));

        assertThat(matchedId(table, Method.GET, "/a/b")).contains("first");
    }

    @Test
    void duplicateIdsAreRejected() {
        assertThatThrownBy(() -> RouteTable.of(List.of(Route.of("users", "/users/**", "a"),
                                                       Route.of("users", "/people/**", "b"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("route id: \"users\" (expected: unique)");
    }

    @Test
    void servicesAreListedOnceInDeclarationOrderAndRoutesByIdAreFound() {
        RouteTable table = RouteTable.of(List.of(Route.of("users", "/users/**", "user-service"),
                                                 Route.of("orders", "/orders/**", "order-service"),
                                                 Route.of("user-list", "/users", "user-service")));

        assertThat(table.services()).containsExactly("user-service", "order-service");
        assertThat(table.route("orders")).map(Route::service).contains("order-service");
        assertThat(table.route("nope")).isEmpty();
    }

    private static Optional<String> matchedId(RouteTable table, Method method, String path) {
        return table.match(method, "localhost:8080", path, NO_HEADERS).map(Route::id);
    }

    private static Route withMethods(Route route, Method... methods) {
        return new Route(route.id(), route.path(), Set.of(methods), route.host(), route.headers(), route.service(),
                         route.rewrite(), route.policy(), route.auth());
    }
}
