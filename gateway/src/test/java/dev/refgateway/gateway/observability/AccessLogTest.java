package dev.refgateway.gateway.observability;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogTest {

    /**
     * Values a client chooses (the path, and a request id or method where the edge would let them through): CR LF to
     * forge a second line, a quote and a backslash to break the string, a control character, DEL, NEL and the
     * Unicode line and paragraph separators, and non-ASCII text that must stay as it is.
     */
    private static final String HOSTILE = "/a\r\n{\"b\\\u0001\u007f\u0085\u2028\u2029\té😀";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger ACCESS = Logger.getLogger(AccessLog.LOGGER_NAME);

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() {
        ACCESS.addHandler(capture);
    }

    @AfterEach
    void release() {
        ACCESS.removeHandler(capture);
    }

    @Test
    void aHostilePathRoundTripsOnOneLineWithEveryFieldInOrder() throws Exception {
        new AccessLog(true).write(new AccessLog.Entry("id-" + HOSTILE, "10.0.0.7", null, "GET" + HOSTILE, HOSTILE,
                                                      null, null, 404, 0, 120, 4_000_000, 0, "no-route"));

        assertThat(lines).hasSize(1);
        String line = lines.getFirst();
        assertThat(line.chars().filter(c -> c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x2028 || c == 0x2029))
                .isEmpty();
        JsonNode parsed = JSON.readTree(line);
        assertThat(parsed.properties()).extracting(Map.Entry::getKey)
                .containsExactly("time", "requestId", "clientIp", "clientId", "method", "path", "route", "instance",
                                 "status", "bytesIn", "bytesOut", "durationMs", "attempts", "outcome");
        assertThat(parsed.get("path").asText()).isEqualTo(HOSTILE);
        assertThat(parsed.get("requestId").asText()).isEqualTo("id-" + HOSTILE);
        assertThat(parsed.get("method").asText()).isEqualTo("GET" + HOSTILE);
        assertThat(parsed.get("clientId").isNull()).isTrue();
        assertThat(parsed.get("route").isNull()).isTrue();
        assertThat(parsed.get("status").asInt()).isEqualTo(404);
        assertThat(parsed.get("bytesOut").asLong()).isEqualTo(120);
        assertThat(parsed.get("durationMs").asLong()).isEqualTo(4);
        assertThat(line).contains(",\"path\":\"/a\\r\\n{\\\"b\\\\\\u0001\\u007F\\u0085\\u2028\\u2029\\té😀\",");
    }
}
