package dev.refgateway.gateway.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP/1.1 answer read off a raw socket, taken apart by a small parser of the test's own: status, head, and the
 * body with chunked framing removed. Also counts how many answers a raw exchange held (a smuggled request shows
 * as a second answer).
 *
 * @param status the status code
 * @param head   the status line and header section
 * @param body   the body, de-chunked when it came chunked
 */
public record RawAnswer(int status, String head, String body) {

    /** The first answer in {@code raw} (what a connection received, possibly more than one answer). */
    public static RawAnswer parse(String raw) {
        return all(raw).getFirst();
    }

    /** Every answer in {@code raw}, in order; an answer cut short ends the list. */
    public static List<RawAnswer> all(String raw) {
        List<RawAnswer> answers = new ArrayList<>();
        int pos = 0;
        while (pos < raw.length()) {
            int headEnd = raw.indexOf("\r\n\r\n", pos);
            if (headEnd < 0) {
                break;
            }
            String head = raw.substring(pos, headEnd + 4);
            int status = Integer.parseInt(head.substring(9, 12));
            String lower = head.toLowerCase();
            int bodyStart = headEnd + 4;
            String body;
            if (lower.contains("\r\ntransfer-encoding: chunked")) {
                StringBuilder data = new StringBuilder();
                int at = bodyStart;
                while (true) {
                    int lineEnd = raw.indexOf("\r\n", at);
                    if (lineEnd < 0) {
                        return answers;
                    }
                    int size = Integer.parseInt(raw.substring(at, lineEnd).split(";")[0].strip(), 16);
                    if (size == 0) {
                        pos = raw.indexOf("\r\n\r\n", lineEnd) + 4;
                        break;
                    }
                    data.append(raw, lineEnd + 2, lineEnd + 2 + size);
                    at = lineEnd + 2 + size + 2;
                }
                body = data.toString();
            } else if (lower.contains("\r\ncontent-length:")) {
                int at = lower.indexOf("\r\ncontent-length:");
                int length = Integer.parseInt(lower.substring(at + 17, lower.indexOf("\r\n", at + 2)).strip());
                body = raw.substring(bodyStart, Math.min(raw.length(), bodyStart + length));
                pos = bodyStart + length;
            } else if (status == 204 || status == 304 || status < 200) {
                body = "";
                pos = bodyStart;
            } else {
                body = raw.substring(bodyStart);
                pos = raw.length();
            }
            answers.add(new RawAnswer(status, head, body));
        }
        return answers;
    }

    /** The first value of a header (case-insensitive), or null. */
    public String header(String name) {
        return header(head, name);
    }

    /** The first value of a header (case-insensitive) in a message head, or null. */
    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }
}
