package dev.refgateway.gateway.upstream;

import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;

import io.helidon.faulttolerance.BulkheadConfig;

/**
 * A bulkhead per upstream service (Helidon Fault Tolerance's {@code Bulkhead}): caps the requests in progress to one
 * service, so a slow service cannot take every thread and connection of the gateway. {@link #helidonConfig} hands
 * the options to Helidon as its own {@link BulkheadConfig}.
 *
 * @param enabled     see {@link #ENABLED}
 * @param limit       see {@link #LIMIT}
 * @param queueLength see {@link #QUEUE_LENGTH}
 */
public record BulkheadSettings(boolean enabled, int limit, int queueLength) {

    public static final Option.Flag ENABLED = Option.flag("enabled", false, "Whether services get a bulkhead.");
    public static final Option.Int LIMIT = Option.integer(
            "limit", 256, 1, Integer.MAX_VALUE, "Requests in progress to one service.");
    public static final Option.Int QUEUE_LENGTH = Option.integer(
            "queue-length", 0, 0, Integer.MAX_VALUE,
            "Requests that may wait for a slot; beyond them the gateway answers 503 at once.");
    public static final Options OPTIONS = Options.of(
            "gateway.bulkhead", "A cap on the requests in progress to one service.", ENABLED, LIMIT, QUEUE_LENGTH);

    private static final BulkheadSettings DEFAULTS =
            new BulkheadSettings(ENABLED.defaultValue(), LIMIT.defaultValue(), QUEUE_LENGTH.defaultValue());

    public BulkheadSettings {
        LIMIT.check(limit);
        QUEUE_LENGTH.check(queueLength);
    }

    /** Disabled; 256 concurrent requests and no queue once enabled. */
    public static BulkheadSettings defaults() {
        return DEFAULTS;
    }

    /** Reads a {@code bulkhead} node; every key is optional. */
    public static BulkheadSettings read(ConfigNode node) {
        return OPTIONS.build(node, values -> new BulkheadSettings(
                values.get(ENABLED), values.get(LIMIT), values.get(QUEUE_LENGTH)));
    }

    /** These settings as Helidon's own configuration of a bulkhead named {@code name}. */
    BulkheadConfig helidonConfig(String name) {
        return BulkheadConfig.builder().name(name).limit(limit).queueLength(queueLength).buildPrototype();
    }
}
