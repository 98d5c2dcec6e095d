package dev.refgateway.gateway.config;

import java.util.Set;

import io.helidon.config.Config;

/**
 * A bulkhead per upstream service (Helidon Fault Tolerance): caps the requests in progress to one service, so a
 * slow service cannot take every thread and connection of the gateway.
 *
 * <pre>
 * bulkhead:
 *   enabled: false
 *   limit: 256          # requests in progress to one service
 *   queue-length: 0     # requests that may wait for a slot; beyond that the gateway answers 503 at once
 * </pre>
 *
 * @param enabled     whether services get a bulkhead; default false
 * @param limit       concurrent requests per service; default 256, at least 1
 * @param queueLength requests waiting for a slot; default 0, at least 0
 */
public record BulkheadSettings(boolean enabled, int limit, int queueLength) {

    private static final Set<String> KEYS = Set.of("enabled", "limit", "queue-length");
    private static final BulkheadSettings DEFAULTS = new BulkheadSettings(false, 256, 0);

    public BulkheadSettings {
        Check.range("limit", limit, 1, Integer.MAX_VALUE);
        Check.range("queueLength", queueLength, 0, Integer.MAX_VALUE);
    }

    /** Disabled; 256 concurrent requests and no queue once enabled. */
    public static BulkheadSettings defaults() {
        return DEFAULTS;
    }

    /** Reads a {@code bulkhead} node; every key is optional. */
    public static BulkheadSettings create(Config bulkhead) {
        return read(ConfigNode.of(bulkhead));
    }

    static BulkheadSettings read(ConfigNode node) {
        node.allowOnly(KEYS);
        return new BulkheadSettings(node.get("enabled").bool(DEFAULTS.enabled),
                                    node.get("limit").intIn(DEFAULTS.limit, 1, Integer.MAX_VALUE),
                                    node.get("queue-length").intIn(DEFAULTS.queueLength, 0, Integer.MAX_VALUE));
    }
}
