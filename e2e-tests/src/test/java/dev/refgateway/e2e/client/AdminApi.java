package dev.refgateway.e2e.client;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The gateway's admin port: {@code /admin/upstreams} (what the gateway knows of each service's instances) and
 * {@code /observe/metrics} (Prometheus text).
 */
public final class AdminApi {

    private final ApiClient client;

    public AdminApi(ApiClient client) {
        this.client = client;
    }

    /** The entry of {@code /admin/upstreams} for one service; a missing node when the gateway does not route to it. */
    public JsonNode upstream(String service) {
        Reply reply = client.get("/admin/upstreams");
        if (reply.status() != 200) {
            throw new AssertionError("GET /admin/upstreams: " + reply);
        }
        for (JsonNode upstream : reply.json().path("upstreams")) {
            if (service.equals(upstream.path("service").asText())) {
                return upstream;
            }
        }
        return reply.json().path("no-such-service");
    }

    /** How many instances of the service pass in Consul, as the gateway last saw it. */
    public int passingInConsul(String service) {
        return upstream(service).path("passingInConsul").asInt(-1);
    }

    /** The instances the gateway would route to now (passing, not ejected, circuit not open). */
    public Set<String> pickableInstances(String service) {
        Set<String> ids = new TreeSet<>();
        for (JsonNode instance : upstream(service).path("instances")) {
            if (instance.path("pickable").asBoolean(false)) {
                ids.add(instance.path("id").asText());
            }
        }
        return ids;
    }

    /** For messages: the gateway's view of a service, or why it could not be read. */
    public String upstreamView(String service) {
        try {
            return upstream(service).toString();
        } catch (RuntimeException | AssertionError e) {
            return "(admin API: " + e.getMessage() + ")";
        }
    }

    /** {@code /observe/metrics} as Prometheus text. */
    public String metrics() {
        Reply reply = client.get("/observe/metrics", "Accept", "text/plain");
        if (reply.status() != 200) {
            throw new AssertionError("GET /observe/metrics: " + reply);
        }
        return reply.body();
    }

    /**
     * The sum of every sample of a metric whose labels include the given ones, e.g.
     * {@code gateway_requests_total{method="GET",outcome="success",route="users",...} 400.0}.
     */
    public static double sum(String prometheusText, String metric, Map<String, String> labels) {
        double sum = 0;
        for (String line : prometheusText.split("\n")) {
            if (!line.startsWith(metric + "{")) {
                continue;
            }
            int close = line.lastIndexOf('}');
            // Leading comma: route="users" must not match inside xroute="users".
            String labelText = "," + line.substring(metric.length() + 1, close);
            boolean matches = labels.entrySet().stream()
                    .allMatch(l -> labelText.contains("," + l.getKey() + "=\"" + l.getValue() + "\""));
            if (matches) {
                sum += Double.parseDouble(line.substring(close + 1).trim().split(" ")[0]);
            }
        }
        return sum;
    }
}
