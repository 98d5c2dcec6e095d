package dev.refgateway.gateway.problem;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.helidon.http.Status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemResponsesTest {

    /**
     * What a client might get into a path or a detail, whatever the edge refuses today: CR LF to start a new line, a
     * quote and a backslash to break the string, a control character, DEL, NEL and the Unicode line and paragraph
     * separators, and non-ASCII text that must stay as it is.
     */
    private static final String HOSTILE = "/a\r\n{\"b\\\u0001\u007f\u0085\u2028\u2029\té😀";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aBodyHasTheProblemFieldsInOrder() {
        String body = ProblemResponses.body(Status.NOT_FOUND_404, GatewayProblem.ROUTE_NOT_FOUND.type(),
                                            GatewayProblem.ROUTE_NOT_FOUND.title(), "No route for GET /x", "/x");

        assertThat(body).isEqualTo("{\"type\":\"https://refgateway.dev/problems/route-not-found\","
                                           + "\"title\":\"No route matches the request\",\"status\":404,"
                                           + "\"detail\":\"No route for GET /x\",\"instance\":\"/x\"}");
    }

    @Test
    void aHostilePathAndDetailRoundTripAndStayOnOneLine() throws Exception {
        String body = ProblemResponses.body(Status.NOT_FOUND_404, GatewayProblem.ROUTE_NOT_FOUND.type(),
                                            GatewayProblem.ROUTE_NOT_FOUND.title(), "detail " + HOSTILE, HOSTILE);

        JsonNode parsed = JSON.readTree(body);
        assertThat(parsed.get("instance").asText()).isEqualTo(HOSTILE);
        assertThat(parsed.get("detail").asText()).isEqualTo("detail " + HOSTILE);
        assertThat(parsed.properties()).extracting(Map.Entry::getKey)
                .containsExactly("type", "title", "status", "detail", "instance");
        assertOneSafeLine(body);
        assertThat(body).contains("\"instance\":\"/a\\r\\n{\\\"b\\\\\\u0001\\u007F\\u0085\\u2028\\u2029\\té😀\"");
    }

    @Test
    void aClosingResponseCarriesTheSameBody() throws Exception {
        byte[] response = ProblemResponses.closingResponse(GatewayProblem.MALFORMED_REQUEST, HOSTILE);

        String text = new String(response, StandardCharsets.UTF_8);
        String body = text.substring(text.indexOf("\r\n\r\n") + 4);
        assertThat(JSON.readTree(body).get("detail").asText()).isEqualTo(HOSTILE);
        assertThat(text).contains("Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n");
        assertOneSafeLine(body);
    }

    /** No character a log reader or terminal could take for a line break or act on is left unescaped. */
    private static void assertOneSafeLine(String json) {
        assertThat(json.chars().filter(c -> c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x2028 || c == 0x2029))
                .isEmpty();
    }
}
