package dev.refgateway.gateway.observability;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.refgateway.gateway.problem.JsonText;

/**
 * One JSON line per request on the java.util.logging logger {@value #LOGGER_NAME}, so logging configuration can route
 * it to its own file or switch it off ({@code dev.refgateway.gateway.access.level=OFF}):
 * <pre>
 * {"time":"2026-11-26T07:02:03.123Z","requestId":"…","clientIp":"10.0.0.7","clientId":"demo-client","method":"GET",
 *  "path":"/users/7","route":"users","instance":"user-service-10.0.0.5-8081","status":200,"bytesIn":0,
 *  "bytesOut":312,"durationMs":4,"attempts":1,"outcome":"success"}
 * </pre>
 * The line holds no header value at all (so no Authorization, API key or cookie can leak) and the path without its
 * query string, which often carries tokens. Written with {@link JsonText}, the escaping of problem bodies, so that no
 * client-chosen value can break the line or forge a second one.
 */
public final class AccessLog {

    /** The logger's name. */
    public static final String LOGGER_NAME = "dev.refgateway.gateway.access";
    private static final Logger LOGGER = Logger.getLogger(LOGGER_NAME);

    private static AccessLogHandler output;

    private final boolean enabled;

    public AccessLog(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * An access log that, when enabled, writes through {@link AccessLogHandler} (buffered, off the request thread)
     * unless logging configuration gave the logger handlers of its own, which are then used as configured.
     */
    public static AccessLog create(boolean enabled) {
        if (enabled) {
            installOutput();
        }
        return new AccessLog(enabled);
    }

    /** Access-log lines dropped because the output could not keep up (0 with handlers of one's own). */
    public static long dropped() {
        AccessLogHandler handler = output;
        return handler == null ? 0 : handler.dropped();
    }

    private static synchronized void installOutput() {
        if (output != null || LOGGER.getHandlers().length > 0) {
            return;
        }
        output = AccessLogHandler.toStandardOutput();
        LOGGER.addHandler(output);
        // Not through the root's console handler as well: the line is complete JSON, with its own time.
        LOGGER.setUseParentHandlers(false);
    }

    /** Whether a line would be written; callers skip gathering the fields when not. */
    public boolean enabled() {
        return enabled && LOGGER.isLoggable(Level.INFO);
    }

    /** Writes {@code entry} as one line. */
    public void write(Entry entry) {
        if (!enabled()) {
            return;
        }
        String line = JsonText.object(json -> {
            json.writeStringField("time", Instant.now().toString());
            json.writeStringField("requestId", entry.requestId());
            json.writeStringField("clientIp", entry.clientIp());
            json.writeStringField("clientId", entry.clientId());
            json.writeStringField("method", entry.method());
            json.writeStringField("path", entry.path());
            json.writeStringField("route", entry.route());
            json.writeStringField("instance", entry.instance());
            json.writeNumberField("status", entry.status());
            json.writeNumberField("bytesIn", entry.bytesIn());
            json.writeNumberField("bytesOut", entry.bytesOut());
            json.writeNumberField("durationMs", entry.durationNanos() / 1_000_000);
            json.writeNumberField("attempts", entry.attempts());
            json.writeStringField("outcome", entry.outcome());
        });
        LOGGER.log(Level.INFO, line);
    }

    /**
     * One request, as the access log writes it.
     *
     * @param requestId     the {@code X-Request-Id} (client-sent or generated)
     * @param clientIp      the client's address ({@code X-Forwarded-For} believed only from trusted proxies)
     * @param clientId      the API key's client id or the JWT's subject; null when anonymous or not authenticated
     * @param method        the request method
     * @param path          the raw path, without the query string
     * @param route         the matched route's id; null when none matched
     * @param instance      the last instance tried; null when none was
     * @param status        the status sent to the client; 0 when the connection was closed without an answer
     * @param bytesIn       request body bytes the gateway read from the client
     * @param bytesOut      response body bytes sent to the client (headers not counted)
     * @param durationNanos time from the start of handling to the end of the answer
     * @param attempts      upstream attempts made
     * @param outcome       the same label as the {@code outcome} of the request metric
     */
    public record Entry(String requestId, String clientIp, String clientId, String method, String path, String route,
                        String instance, int status, long bytesIn, long bytesOut, long durationNanos, int attempts,
                        String outcome) {
    }
}
