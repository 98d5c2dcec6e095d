package dev.refgateway.gateway.routing;

import java.util.ArrayList;
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
    void aWildcardBranchBeatsTheLiteralBranchWhenItsPatternIsMoreSpecific() {
        RouteTable table = RouteTable.of(List.of(
                Route.of("a-prefix", "/a/**", "one"),
                Route.of("a-b-prefix", "/a/b/**", "two"),
                Route.of("a-any-c", "/a/*/c", "three"),
                Route.of("any-b-c", "/*/b/c", "four"),
                Route.of("any-bb-ccc", "/*/bb/ccc", "five"),
                Route.of("a-any-ccc", "/a/*/ccc", "six")));

        // As many literal segments: exact before '*' before '**', whichever branch the walk enters first.
        assertThat(matchedId(table, Method.GET, "/a/b/c")).contains("a-any-c");
        // Then the longer literal text: "bb" + "ccc" beats "a" + "ccc".
        assertThat(matchedId(table, Method.GET, "/a/bb/ccc")).contains("any-bb-ccc");
        assertThat(matchedId(table, Method.GET, "/a/b/d")).contains("a-b-prefix");
        assertThat(matchedId(table, Method.GET, "/x/b/c")).contains("any-b-c");
        assertThat(matchedId(table, Method.GET, "/a/x/y")).contains("a-prefix");
    }

    @Test
    void moreLiteralSegmentsUnderAWildcardBeatALiteralPrefix() {
        RouteTable table = RouteTable.of(List.of(
                Route.of("a-prefix", "/a/**", "one"),
                Route.of("any-b-c", "/*/b/c", "two"),
                Route.of("a-deep-wildcards", "/a/*/*/*", "three"),
                Route.of("a-b-prefix", "/a/b/**", "four")));

        assertThat(matchedId(table, Method.GET, "/a/b/c")).contains("any-b-c");
        // Two literal segments of a prefix beat one literal segment and three wildcards.
        assertThat(matchedId(table, Method.GET, "/a/b/c/d")).contains("a-b-prefix");
        assertThat(matchedId(table, Method.GET, "/a/x/c/d")).contains("a-deep-wildcards");
    }

    @Test
    void aMoreSpecificRouteWhoseConditionsFailFallsThroughToAnotherBranch() {
        RouteTable table = RouteTable.of(List.of(
                Route.of("any-b", "/*/b", "one"),
                withMethods(Route.of("a-b-get", "/a/b", "two"), Method.GET)));

        assertThat(matchedId(table, Method.GET, "/a/b")).contains("a-b-get");
        assertThat(matchedId(table, Method.POST, "/a/b")).contains("any-b");
        // A preflight is matched twice by its caller: once with the method it asks for, once as OPTIONS.
        assertThat(matchedId(table, Method.OPTIONS, "/a/b")).contains("any-b");
    }

    @Test
    void theRootEmptySegmentsAndTrailingSlashesMatchAsThePatternsSay() {
        RouteTable table = RouteTable.of(List.of(
                Route.of("everything", "/**", "web"),
                Route.of("root", "/", "home"),
                Route.of("one-segment", "/*", "one"),
                Route.of("users", "/users", "list"),
                Route.of("users-below", "/users/**", "users"),
                Route.of("user", "/users/*", "user"),
                Route.of("user-below", "/users/*/**", "user-things")));

        assertThat(matchedId(table, Method.GET, "/")).contains("root");
        assertThat(matchedId(table, Method.GET, "//")).as("'*' needs a non-empty segment").contains("everything");
        assertThat(matchedId(table, Method.GET, "/x")).contains("one-segment");
        assertThat(matchedId(table, Method.GET, "/x/")).contains("everything");
        assertThat(matchedId(table, Method.GET, "/users")).contains("users");
        assertThat(matchedId(table, Method.GET, "/users/")).contains("users-below");
        assertThat(matchedId(table, Method.GET, "/users//7")).contains("users-below");
        assertThat(matchedId(table, Method.GET, "/users/7")).contains("user");
        // "/users/*/**" adds a wildcard, not a literal: it ties with "/users/**", declared first.
        assertThat(matchedId(table, Method.GET, "/users/7/")).contains("users-below");
        assertThat(matchedId(table, Method.GET, "/users/7/orders")).contains("users-below");
        assertThat(matchedId(table, Method.GET, "")).isEmpty();
        assertThat(matchedId(table, Method.GET, "users")).isEmpty();
        assertThat(table.match(Method.GET, null, null, NO_HEADERS)).isEmpty();
    }

    @Test
    void tenThousandRoutesEachFindTheirOwn() {
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            routes.add(Route.of("svc" + i, "/svc" + i + "/**", "service" + i));
            routes.add(Route.of("svc" + i + "-item", "/svc" + i + "/items/*", "service" + i));
        }
        routes.add(Route.of("fallback", "/**", "web"));
        RouteTable table = RouteTable.of(routes);

        assertThat(matchedId(table, Method.GET, "/svc0/x")).contains("svc0");
        assertThat(matchedId(table, Method.GET, "/svc9999/items/7")).contains("svc9999-item");
        assertThat(matchedId(table, Method.GET, "/svc9999/items/7/parts")).contains("svc9999");
        assertThat(matchedId(table, Method.GET, "/svc10000/items/7")).contains("fallback");
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
