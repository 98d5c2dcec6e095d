package dev.refgateway.gateway.config;

import java.time.Duration;

import dev.refgateway.gateway.routing.RoutePolicy;

/**
 * Reads {@code timeout}, {@code per-try-timeout} and {@code retry} from {@code gateway.defaults} or from a route;
 * what is missing is inherited (a route inherits the defaults, the defaults inherit the built-in values).
 */
final class PolicyReader {

    private PolicyReader() {
    }

    static RoutePolicy read(ConfigNode node, RoutePolicy inherited) {
        Duration timeout = node.get("timeout").duration(inherited.timeout(), Duration.ofMillis(1));
        ConfigNode perTryNode = node.get("per-try-timeout");
        Duration perTry;
        if (perTryNode.exists()) {
            perTry = perTryNode.duration(null, Duration.ofMillis(1));
            if (perTry.compareTo(timeout) > 0) {
                throw perTryNode.invalid(ConfigNode.quote(perTryNode.text().orElse("")),
                                         "<= timeout " + Durations.format(timeout));
            }
        } else {
            // An inherited per-try timeout longer than this level's timeout could never run out: cap it quietly.
            perTry = inherited.perTryTimeout().compareTo(timeout) > 0 ? timeout : inherited.perTryTimeout();
        }
        return new RoutePolicy(timeout, perTry, RetrySettings.read(node.get("retry"), inherited.retry()));
    }
}
