package dev.refgateway.gateway.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.refgateway.discovery.ServiceInstance;
import dev.refgateway.gateway.failover.RetrySettings;
import dev.refgateway.gateway.problem.GatewayProblem;
import dev.refgateway.gateway.problem.ProblemResponses;
import dev.refgateway.gateway.routing.Route;
import dev.refgateway.gateway.routing.RouteTable;
import dev.refgateway.gateway.upstream.InstanceSource;
import dev.refgateway.gateway.upstream.InstanceState;
import dev.refgateway.gateway.upstream.Upstream;
import dev.refgateway.gateway.upstream.Upstreams;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The admin API, on its own port (never the public one):
 * <ul>
 *     <li>{@code GET /admin/routes} — the route table in match order;</li>
 *     <li>{@code GET /admin/upstreams} — every instance of every routed service as Consul lists it (passing or not),
 *     with the gateway's own view: ejected until, circuit state, in flight, served, last error, and in plain words
 *     why it would or would not be picked for the next request.</li>
 * </ul>
 */
public final class AdminService implements HttpService {

    private static final HttpMediaType JSON = HttpMediaType.create("application/json");
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final RouteTable routes;
    private final Upstreams upstreams;
    private final byte[] token;

    /**
     * @param token the bearer token every {@code /admin} request must carry; empty: none
     */
    public AdminService(RouteTable routes, Upstreams upstreams, Optional<String> token) {
        this.routes = routes;
        this.upstreams = upstreams;
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(this::authorize)
                .get("/routes", this::routes)
                .get("/upstreams", this::upstreams);
    }

    /** With a token configured, {@code Authorization: Bearer TOKEN} or 401; compared in constant time. */
    private void authorize(ServerRequest req, ServerResponse res) {
        if (token == null) {
            res.next();
            return;
        }
        String presented = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        byte[] bearer = presented.regionMatches(true, 0, "Bearer ", 0, 7)
                ? presented.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (MessageDigest.isEqual(token, bearer)) {
            res.next();
            return;
        }
        res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"refgateway-admin\"");
        ProblemResponses.send(res, GatewayProblem.UNAUTHENTICATED, "The admin API wants the admin token "
                + "(Authorization: Bearer ...)", req.path().rawPath());
    }

    private void routes(ServerRequest req, ServerResponse res) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Route route : routes.routes()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", route.id());
            r.put("path", route.path().toString());
            r.put("methods", route.methods().stream().map(m -> m.text()).sorted().toList());
            r.put("host", route.host().map(Object::toString).orElse(null));
            r.put("headers", route.headers().stream().map(Object::toString).toList());
            r.put("service", route.service());
            r.put("rewrite", route.rewrite().toString());
            r.put("timeout", route.policy().timeout().toString());
            r.put("perTryTimeout", route.policy().perTryTimeout().toString());
            RetrySettings retry = route.policy().retry();
            Map<String, Object> retryView = new LinkedHashMap<>();
            retryView.put("maxAttempts", retry.maxAttempts());
            retryView.put("retryOnStatuses", retry.retryOnStatuses());
            retryView.put("idempotencyKeyHeader", retry.idempotencyKeyHeader());
            retryView.put("backoffBase", retry.backoffBase().toString());
            retryView.put("backoffMax", retry.backoffMax().toString());
            retryView.put("budgetPercent", retry.budgetPercent());
            retryView.put("minRetriesInFlight", retry.minRetriesInFlight());
            r.put("retry", retryView);
            out.add(r);
        }
        send(res, Map.of("routes", out));
    }

    private void upstreams(ServerRequest req, ServerResponse res) {
        long now = System.nanoTime();
        List<Map<String, Object>> services = new ArrayList<>();
        for (Upstream upstream : upstreams.all()) {
            Upstream.Pool pool = upstream.pool();
            InstanceSource source = upstream.source();
            Map<String, InstanceSource.Listed> listed = source.everyInstance();
            List<Map<String, Object>> instances = new ArrayList<>();
            for (InstanceSource.Listed entry : listed.values()) {
                instances.add(describe(entry, pool.states().get(entry.instance().id()), now));
            }
            // Instances the pool still holds but the on-demand look-up did not return (Consul unreachable, or a
            // grace after Consul's restart).
            for (ServiceInstance instance : pool.instances()) {
                if (!listed.containsKey(instance.id())) {
                    String status = upstream.inRestartGrace()
                            ? "not listed: kept through the grace after Consul's restart" : "unknown (Consul unreachable)";
                    instances.add(describe(new InstanceSource.Listed(instance, status), pool.state(instance), now));
                }
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("service", upstream.service());
            s.put("source", source.kind());
            s.put("passingInConsul", pool.size());
            s.put("discoveryStalenessSeconds", source.staleness().toMillis() / 1000.0);
            s.put("consulReachable", source.isReachable());
            s.put("inRestartGrace", upstream.inRestartGrace());
            s.put("activeRequests", upstream.activeRequests().get());
            s.put("instances", instances);
            services.add(s);
        }
        send(res, Map.of("upstreams", services, "at", Instant.now().toString()));
    }

    private static Map<String, Object> describe(InstanceSource.Listed entry, InstanceState state, long now) {
        ServiceInstance instance = entry.instance();
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("id", instance.id());
        i.put("address", instance.authority());
        i.put("version", instance.metadata().getOrDefault("version", ""));
        i.put("consulStatus", entry.status());
        if (state == null) {
            i.put("pickable", false);
            i.put("why", "not passing in Consul (" + entry.status() + "): the gateway does not route to it");
            return i;
        }
        boolean ejected = state.isEjected(now);
        i.put("ejectedUntil", state.ejectedUntil().map(Instant::toString).orElse(null));
        i.put("timesEjected", state.timesEjected());
        i.put("circuit", state.circuitState());
        i.put("consecutiveFailures", state.consecutiveFailures());
        i.put("inFlight", state.inFlight());
        i.put("served", state.served());
        i.put("lastError", state.lastError().isEmpty() ? null : state.lastError());
        i.put("lastErrorAt", state.lastErrorAt().map(Instant::toString).orElse(null));
        if (ejected) {
            Duration left = Duration.between(Instant.now(), state.ejectedUntil().orElse(Instant.now()));
            i.put("pickable", false);
            i.put("why", "ejected after " + state.timesEjected() + " streak(s) of failures (last: "
                    + state.lastError() + "); back in " + Math.max(0, left.toSeconds()) + " s");
        } else if (state.isCircuitOpen()) {
            i.put("pickable", false);
            i.put("why", "circuit open: too many recent failures; a probe goes through after the breaker's delay");
        } else {
            i.put("pickable", true);
            i.put("why", "passing in Consul, not ejected, circuit " + state.circuitState().toLowerCase()
                    + ": in the round robin");
        }
        return i;
    }

    private static void send(ServerResponse res, Object body) {
        try {
            res.headers().contentType(JSON);
            res.send(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Admin views are maps of plain values", e);
        }
    }
}
