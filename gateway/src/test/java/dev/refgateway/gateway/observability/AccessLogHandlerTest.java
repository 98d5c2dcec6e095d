package dev.refgateway.gateway.observability;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AccessLogHandlerTest {

    @Test
    void writesEachMessageAsOneLineInOrder() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLogHandler handler = new AccessLogHandler(out);
        for (int i = 0; i < 1000; i++) {
            handler.publish(new LogRecord(Level.INFO, "{\"n\":" + i + "}"));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> lines(out).length == 1000);
        String[] lines = lines(out);
        for (int i = 0; i < 1000; i++) {
            assertThat(lines[i]).isEqualTo("{\"n\":" + i + "}");
        }
        assertThat(handler.dropped()).isZero();
        handler.close();
    }

    @Test
    void closeWritesWhatIsStillQueued() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLogHandler handler = new AccessLogHandler(out);
        for (int i = 0; i < 100; i++) {
            handler.publish(new LogRecord(Level.INFO, "line " + i));
        }
        handler.close();
        assertThat(lines(out)).hasSize(100).endsWith("line 99");
        handler.publish(new LogRecord(Level.INFO, "after close"));
        assertThat(lines(out)).hasSize(100);
    }

    @Test
    void recordsBelowTheHandlersLevelAreNotWritten() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLogHandler handler = new AccessLogHandler(out);
        handler.setLevel(Level.WARNING);
        handler.publish(new LogRecord(Level.INFO, "quiet"));
        handler.close();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private static String[] lines(ByteArrayOutputStream out) {
        synchronized (out) {
            String text = out.toString(StandardCharsets.UTF_8);
            return text.isEmpty() ? new String[0] : text.split("\n");
        }
    }
}
