package dev.refgateway.gateway.observability;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One JSON line per request on the java.util.logging logger {@value #LOGGER_NAME}, so logging configuration can route
 * it to its own file or switch it off ({@code dev.refgateway.gateway.access.level=OFF}):
 * <pre>
 * {"time":"2026-11-26T07:02:03.123Z","requestId":"…","clientIp":"10.0.0.7","clientId":"demo-client","method":"GET",
 *  "path":"/users/7","route":"users","instance":"user-service-10.0.0.5-8081","status":200,"bytesIn":0,
 *  "bytesOut":312,"durationMs":4,"attempts":1,"outcome":"success"}
 * </pre>
 * The line holds no header value at all (so no Authorization, API key or cookie can leak) and the path without its
 * query string, which often carries tokens. Built by hand: this runs on every request.
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
        StringBuilder line = new StringBuilder(320);
        line.append("{\"time\":");
        string(line, Instant.now().toString());
        line.append(",\"requestId\":");
        string(line, entry.requestId());
        line.append(",\"clientIp\":");
        string(line, entry.clientIp());
        line.append(",\"clientId\":");
        string(line, entry.clientId());
        line.append(",\"method\":");
        string(line, entry.method());
        line.append(",\"path\":");
        string(line, entry.path());
        line.append(",\"route\":");
        string(line, entry.route());
        line.append(",\"instance\":");
        string(line, entry.instance());
        line.append(",\"status\":").append(entry.status())
                .append(",\"bytesIn\":").append(entry.bytesIn())
                .append(",\"bytesOut\":").append(entry.bytesOut())
                .append(",\"durationMs\":").append(entry.durationNanos() / 1_000_000)
                .append(",\"attempts\":").append(entry.attempts())
                .append(",\"outcome\":");
        string(line, entry.outcome());
        LOGGER.log(Level.INFO, line.append('}').toString());
    }

    /** Appends a JSON string literal, or {@code null}. */
    static void string(StringBuilder out, String text) {
        if (text == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        // control characters escaped: a client-chosen path must not be able to forge a second line
                        out.append("\\u").append(Character.forDigit(c >> 12 & 0xf, 16))
                                .append(Character.forDigit(c >> 8 & 0xf, 16))
                                .append(Character.forDigit(c >> 4 & 0xf, 16))
                                .append(Character.forDigit(c & 0xf, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
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
