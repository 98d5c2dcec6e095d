package dev.refgateway.gateway.routing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.refgateway.gateway.failover.RoutePolicy;

import io.helidon.http.Headers;
import io.helidon.http.Method;

/**
 * One route: which requests it takes and where they go.
 *
 * @param id      unique name, used in metrics, logs and the admin API
 * @param path    path pattern; always checked
 * @param methods methods the route takes; empty means any
 * @param host    host the request must be addressed to, if any
 * @param headers conditions on request headers; all must hold
 * @param service the Consul service that serves the route
 * @param rewrite how the path changes on its way upstream
 * @param policy  timeouts and retries
 * @param auth    who may use the route: accepted credentials and required scopes
 * @param allowEncodedSlash whether a path with an encoded slash ({@code %2F}) is taken; such a path goes upstream
 *                          with the escape as it is, and some instances decode it into a separator: allow it only
 *                          for instances that treat {@code %2F} as data (Envoy's
 *                          {@code path_with_escaped_slashes_action: KEEP_UNCHANGED})
 */
public record Route(String id,
                    PathPattern path,
                    Set<Method> methods,
                    Optional<HostMatcher> host,
                    List<HeaderMatcher> headers,
                    String service,
                    PathRewrite rewrite,
                    RoutePolicy policy,
                    RouteAuth auth,
                    boolean allowEncodedSlash) {

    public Route {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(methods, "methods");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(rewrite, "rewrite");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(auth, "auth");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id: \"" + id + "\" (expected: not blank)");
        }
        if (service.isBlank()) {
            throw new IllegalArgumentException("service: \"" + service + "\" (expected: not blank)");
        }
        methods = Set.copyOf(methods);
        headers = List.copyOf(headers);
    }

    /** A route that refuses encoded slashes. */
    public Route(String id, PathPattern path, Set<Method> methods, Optional<HostMatcher> host,
                 List<HeaderMatcher> headers, String service, PathRewrite rewrite, RoutePolicy policy,
                 RouteAuth auth) {
        this(id, path, methods, host, headers, service, rewrite, policy, auth, false);
    }

    /** A public route for every request under {@code pathPattern}, with no rewrite and the default policy. */
    public static Route of(String id, String pathPattern, String service) {
        return new Route(id, PathPattern.parse(pathPattern), Set.of(), Optional.empty(), List.of(), service,
                         PathRewrite.none(), RoutePolicy.defaults(), RouteAuth.publicAccess());
    }

    /** This route with other access rules. */
    public Route withAuth(RouteAuth auth) {
        return new Route(id, path, methods, host, headers, service, rewrite, policy, auth, allowEncodedSlash);
    }

    /**
     * Whether a request matches every condition of this route.
     *
     * @param method  request method
     * @param host    the request's host, may carry a port; may be null
     * @param path    the request path without query string
     * @param headers the request headers; may be null when the route has no header conditions
     */
    public boolean matches(Method method, String host, String path, Headers headers) {
        return this.path.matches(path) && matchesConditions(method, host, headers);
    }

    /**
     * Whether a request meets this route's conditions besides the path: methods, host and headers. The route table
     * asks this of the routes its index found by path, so that the path is not matched twice.
     */
    boolean matchesConditions(Method method, String host, Headers headers) {
        if (!methods.isEmpty() && !methods.contains(method)) {
            return false;
        }
        if (this.host.isPresent() && !this.host.get().matches(host)) {
            return false;
        }
        for (HeaderMatcher matcher : this.headers) {
            if (headers == null || !matcher.matches(headers)) {
                return false;
            }
        }
        return true;
    }

    /** How many conditions besides the path this route has; among equal paths, more conditions win. */
    public int matcherCount() {
        return (methods.isEmpty() ? 0 : 1) + (host.isPresent() ? 1 : 0) + headers.size();
    }
}
