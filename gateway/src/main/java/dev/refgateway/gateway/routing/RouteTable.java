package dev.refgateway.gateway.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.helidon.http.Headers;
import io.helidon.http.Method;

/**
 * All routes, sorted once so that the first match is the most specific one.
 *
 * <p>Order: {@linkplain PathPattern#MOST_SPECIFIC_FIRST path specificity}; among equally specific paths, routes
 * with more conditions (host, headers, methods) first; then declaration order. The table is immutable and safe to
 * share between threads. {@link #match} answers the first route in that order that matches, but does not scan them
 * all: an index by path ({@link RouteIndex}) leads it to the routes whose pattern can match the request's path, so
 * that its cost depends on those few and not on how many routes there are. It takes no lock, and neither the index
 * nor the answer allocates.
 */
public final class RouteTable {

    private static final Comparator<Route> MATCH_ORDER =
            Comparator.comparing(Route::path, PathPattern.MOST_SPECIFIC_FIRST)
                      .thenComparing(Comparator.comparingInt(Route::matcherCount).reversed());

    private final RouteIndex index;
    // The answer for each rank, made once: a match allocates nothing.
    private final List<Optional<Route>> answers;
    private final List<Route> routes;
    private final Map<String, Route> byId;
    private final Set<String> services;

    private RouteTable(List<Route> ordered, Map<String, Route> byId, Set<String> services) {
        this.index = new RouteIndex(ordered.toArray(Route[]::new));
        this.answers = ordered.stream().map(Optional::of).toList();
        this.routes = List.copyOf(ordered);
        this.byId = Map.copyOf(byId);
        this.services = services;
    }

    /**
     * A table of {@code routes}.
     *
     * @throws IllegalArgumentException when two routes share an id
     */
    public static RouteTable of(List<Route> routes) {
        Map<String, Route> byId = new HashMap<>();
        Set<String> services = new LinkedHashSet<>();
        for (Route route : routes) {
            if (byId.putIfAbsent(route.id(), route) != null) {
                throw new IllegalArgumentException("route id: \"" + route.id() + "\" (expected: unique)");
            }
            services.add(route.service());
        }
        List<Route> ordered = new ArrayList<>(routes);
        ordered.sort(MATCH_ORDER); // stable: declaration order breaks the remaining ties
        return new RouteTable(ordered, byId, Collections.unmodifiableSet(services));
    }

    /**
     * The most specific route that matches the request.
     *
     * @param method  request method
     * @param host    the request's host ({@code Host} header or authority), may carry a port; may be null
     * @param path    the request path without query string
     * @param headers request headers
     * @return the route, or empty when none matches (the caller answers 404)
     */
    public Optional<Route> match(Method method, String host, String path, Headers headers) {
        int rank = index.first(method, host, path, headers);
        return rank < 0 ? Optional.empty() : answers.get(rank);
    }

    /** Every route, in match order. */
    public List<Route> routes() {
        return routes;
    }

    /** The route with this id. */
    public Optional<Route> route(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The Consul services the routes send traffic to, in declaration order. */
    public Set<String> services() {
        return services;
    }

    @Override
    public String toString() {
        return "RouteTable" + routes.stream().map(r -> r.id() + "=" + r.path()).toList();
    }
}
