package dev.refgateway.gateway.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.refgateway.gateway.failover.RoutePolicy;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Method;
import io.helidon.http.WritableHeaders;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table's index finds exactly the route that a scan of every route in match order finds first: over random
 * tables whose patterns share a few segments (so that literal, {@code *} and {@code **} patterns overlap and tie),
 * with method, host and header conditions, and over random paths, including the root, empty segments, trailing
 * slashes and paths that are not absolute.
 */
class RouteTableProperties {

    private static final List<Method> METHODS = List.of(Method.GET, Method.POST, Method.OPTIONS);

    @Property(tries = 3000)
    void theIndexFindsWhatTheScanFindsFirst(@ForAll("tables") List<Spec> specs, @ForAll("requests") Request request) {
        RouteTable table = RouteTable.of(routes(specs));

        Optional<Route> indexed = table.match(request.method(), request.host(), request.path(), request.headers());

        assertThat(indexed.map(Route::id)).isEqualTo(scan(table, request).map(Route::id));
    }

    @Property(tries = 300)
    void everyRequestOfAManyRouteTableFindsWhatTheScanFindsFirst(@ForAll("bigTables") List<Spec> specs,
                                                                @ForAll("requestLists") List<Request> requests) {
        RouteTable table = RouteTable.of(routes(specs));

        for (Request request : requests) {
            assertThat(table.match(request.method(), request.host(), request.path(), request.headers()).map(Route::id))
                    .as("%s", request).isEqualTo(scan(table, request).map(Route::id));
        }
    }

    /** The reference: every route in match order, the first that matches. */
    private static Optional<Route> scan(RouteTable table, Request request) {
        for (Route route : table.routes()) {
            if (route.matches(request.method(), request.host(), request.path(), request.headers())) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    @Provide
    Arbitrary<List<Spec>> tables() {
        return specs().list().ofMaxSize(24);
    }

    @Provide
    Arbitrary<List<Spec>> bigTables() {
        return specs().list().ofMinSize(100).ofMaxSize(400);
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<String> segment = Arbitraries.of("a", "b", "users", "7", "x", "", "users", "a");
        Arbitrary<String> absolute = segment.list().ofMinSize(1).ofMaxSize(5).map(list -> "/" + String.join("/", list));
        Arbitrary<String> path = Arbitraries.frequencyOf(
                Tuple.of(20, absolute), Tuple.of(1, Arbitraries.of("/", "", "a/b", "//", "/a/", "/users/")));
        Arbitrary<String> host = Arbitraries.of("api.example.com", "API.example.com:8443", "www.example.com",
                                                "example.com", "other.org").injectNull(0.2);
        Arbitrary<Integer> headerSet = Arbitraries.integers().between(0, 3);
        return Combinators.combine(Arbitraries.of(METHODS), host, path, headerSet)
                .as((method, h, p, hs) -> new Request(method, h, p, headers(hs)));
    }

    @Provide
    Arbitrary<List<Request>> requestLists() {
        return requests().list().ofSize(50);
    }

    private static Arbitrary<Spec> specs() {
        Arbitrary<String> segment = Arbitraries.of("a", "b", "users", "7", "*", "*", "ab");
        Arbitrary<String> pattern = Combinators.combine(segment.list().ofMaxSize(4), Arbitraries.of(true, false))
                .as((segments, prefix) -> {
                    List<String> all = new ArrayList<>(segments);
                    if (prefix) {
                        all.add("**");
                    }
                    return "/" + String.join("/", all);
                });
        Arbitrary<Set<Method>> methods = Arbitraries.of(METHODS).set().ofMaxSize(2);
        Arbitrary<String> host = Arbitraries.of("api.example.com", "*.example.com").injectNull(0.7);
        Arbitrary<Integer> header = Arbitraries.integers().between(0, 2);
        return Combinators.combine(pattern, methods, host, header).as(Spec::new);
    }

    private static List<Route> routes(List<Spec> specs) {
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            routes.add(specs.get(i).route("r" + i));
        }
        return routes;
    }

    // 0: none; 1: X-Canary; 2: X-Version: 2; 3: both
    private static Headers headers(int which) {
        WritableHeaders<?> headers = WritableHeaders.create();
        if ((which & 1) != 0) {
            headers.add(HeaderNames.create("X-Canary"), "1");
        }
        if ((which & 2) != 0) {
            headers.add(HeaderNames.create("X-Version"), "2");
        }
        return headers;
    }

    /**
     * A route to be: its pattern ({@code /} when it has no segment), methods, host and a header condition (0: none,
     * 1: {@code X-Canary} present, 2: {@code X-Version: 2}).
     */
    record Spec(String pattern, Set<Method> methods, String host, int header) {

        Route route(String id) {
            List<HeaderMatcher> headers = switch (header) {
                case 1 -> List.of(HeaderMatcher.present("X-Canary"));
                case 2 -> List.of(HeaderMatcher.exact("X-Version", "2"));
                default -> List.of();
            };
            return new Route(id, PathPattern.parse(pattern), methods, Optional.ofNullable(host).map(HostMatcher::parse),
                             headers, "service-" + id, PathRewrite.none(), RoutePolicy.defaults(),
                             RouteAuth.publicAccess());
        }
    }

    /** One request as the table sees it. */
    record Request(Method method, String host, String path, Headers headers) {

        @Override
        public String toString() {
            return method.text() + " " + path + " host=" + host + " headers=" + headers;
        }
    }
}
