package dev.refgateway.gateway.upstream;

import java.time.Duration;

import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;

/**
 * How the gateway treats what discovery tells it.
 *
 * @param consulRestartGrace see {@link #CONSUL_RESTART_GRACE}
 */
public record DiscoverySettings(Duration consulRestartGrace) {

    /**
     * A restarted Consul agent that kept no state (a dev agent, a lost data directory) lists no instance until each
     * registers again, seconds later: answering 503 for the whole service in between would turn Consul's hiccup
     * into an outage. The grace covers a few re-registration rounds (every 3 s for this project's services) and
     * their first health check.
     */
    public static final Option.Time CONSUL_RESTART_GRACE = Option.duration(
            "consul-restart-grace", Duration.ofSeconds(30), Duration.ZERO,
            "When a service's passing list empties in Consul's first answer after an outage, or with Consul's index "
                    + "gone backwards (Consul restarted and lost its registrations, not the instances failing their "
                    + "checks), keep routing to the last known instances this long, still subject to passive "
                    + "ejection; 0: never.");
    public static final Options OPTIONS = Options.of(
            "gateway.discovery", "How what discovery reports is used.", CONSUL_RESTART_GRACE);

    public DiscoverySettings {
        CONSUL_RESTART_GRACE.check(consulRestartGrace);
    }

    /** A 30 s grace after a Consul restart. */
    public static DiscoverySettings defaults() {
        return new DiscoverySettings(CONSUL_RESTART_GRACE.defaultValue());
    }

    public static DiscoverySettings read(ConfigNode node) {
        return OPTIONS.build(node, values -> new DiscoverySettings(values.get(CONSUL_RESTART_GRACE)));
    }
}
