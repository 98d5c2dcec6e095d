package dev.refgateway.gateway.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.refgateway.gateway.http1.FieldLine;
import dev.refgateway.gateway.http1.MalformedMessage;
import dev.refgateway.gateway.http1.Syntax;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;

/**
 * Reads the head of an instance's answer and decides how its body is framed, strictly (RFC 9112 §6.3):
 * <ol>
 *     <li>no body after HEAD, and for 1xx, 204 and 304;</li>
 *     <li>{@code Transfer-Encoding} wins over {@code Content-Length}: with chunked last, the body is chunked and any
 *     {@code Content-Length} is removed; the connection is not reused after such an answer (it may be an attempt at
 *     response splitting). Without chunked last, the body ends with the connection;</li>
 *     <li>a valid {@code Content-Length} (equal values only) frames the body; an invalid one is refused;</li>
 *     <li>otherwise the body ends with the connection.</li>
 * </ol>
 * Interim answers (100, 102, 103) are skipped; a 101 is refused (no route upgrades protocols). A field value with CR,
 * LF, NUL or another control, a malformed line, a head over 64 KiB: refused with {@link MalformedMessage}, which the
 * proxy answers 502. Nothing refused here ever reaches a client.
 */
final class ResponseReader {

    private static final int MAX_HEAD = 64 * 1024;

    private ResponseReader() {
    }

    /**
     * Reads the answer to a request that has been sent.
     *
     * @param headRequest whether the request was a HEAD (its answer has no body whatever its headers say)
     * @throws NoAnswer         when the connection ends before the first byte of an answer
     * @throws IOException      on a read failure or timeout
     * @throws MalformedMessage when the answer is not valid HTTP/1.1
     */
    static UpstreamResponse read(UpstreamConnection connection, ConnectionPool pool, boolean headRequest)
            throws IOException {
        boolean first = true;
        while (true) {
            Head head = readHead(connection, first);
            first = false;
            if (head.status == 101) {
                throw new MalformedMessage("the instance switched protocols (101), which no route allows");
            }
            if (head.status < 200) {
                continue;   // 100, 102, 103: interim answers, not relayed
            }
            return framed(head, connection, pool, headRequest);
        }
    }

    private static UpstreamResponse framed(Head head, UpstreamConnection connection, ConnectionPool pool,
                                           boolean headRequest) {
        WritableHeaders<?> headers = head.headers;
        boolean keepAlive = head.minorVersion == 1
                ? !headers.containsToken(HeaderValues.CONNECTION_CLOSE)
                : headers.containsToken(HeaderValues.CONNECTION_KEEP_ALIVE);
        if (headRequest || head.status == 204 || head.status == 304) {
            if (head.status == 204) {
                headers.remove(HeaderNames.CONTENT_LENGTH);   // RFC 9110 §8.6: never on a 204
            }
            return new UpstreamResponse(head.status, head.minorVersion, headers,
                                        ResponseBody.empty(connection, pool, keepAlive), false);
        }
        List<String> codings = headers.all(HeaderNames.TRANSFER_ENCODING, List::of);
        if (!codings.isEmpty()) {
            boolean lengthToo = headers.contains(HeaderNames.CONTENT_LENGTH);
            headers.remove(HeaderNames.CONTENT_LENGTH);
            if (chunkedLast(codings)) {
                return new UpstreamResponse(head.status, head.minorVersion, headers,
                                            ResponseBody.chunked(connection, pool, keepAlive && !lengthToo), true);
            }
            return new UpstreamResponse(head.status, head.minorVersion, headers,
                                        ResponseBody.untilClose(connection, pool), true);
        }
        if (headers.contains(HeaderNames.CONTENT_LENGTH)) {
            long length = contentLength(headers.all(HeaderNames.CONTENT_LENGTH, List::of));
            return new UpstreamResponse(head.status, head.minorVersion, headers,
                                        ResponseBody.fixed(connection, pool, keepAlive, length), true);
        }
        return new UpstreamResponse(head.status, head.minorVersion, headers,
                                    ResponseBody.untilClose(connection, pool), true);
    }

    private static boolean chunkedLast(List<String> codings) {
        String last = null;
        for (String list : codings) {
            for (String element : list.split(",")) {
                if (!element.isBlank()) {
                    last = element.strip();
                }
            }
        }
        return "chunked".equalsIgnoreCase(last);
    }

    /** One decimal length; a list or repeated header only when every value is the same (RFC 9110 §8.6). */
    private static long contentLength(List<String> values) {
        long length = -1;
        for (String list : values) {
            for (String element : list.split(",", -1)) {
                String value = element.strip();
                if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new MalformedMessage("the instance's Content-Length is not a decimal number");
                }
                long parsed = Long.parseLong(value);
                if (length >= 0 && parsed != length) {
                    throw new MalformedMessage("the instance sent different Content-Length values");
                }
                length = parsed;
            }
        }
        return length;
    }

    private static Head readHead(UpstreamConnection connection, boolean first) throws IOException {
        List<int[]> lines = new ArrayList<>();
        int lineStart = connection.pos();
        int scanned = lineStart;
        boolean anyByte = connection.buffered() > 0;
        while (true) {
            byte[] buffer = connection.buffer();
            int lf = -1;
            for (int i = scanned; i < connection.end(); i++) {
                if (buffer[i] == '\n') {
                    lf = i;
                    break;
                }
            }
            if (lf < 0) {
                int base = connection.pos();
                int filled = connection.fill(MAX_HEAD);
                if (filled == -2) {
                    throw new MalformedMessage("the instance's answer has a head larger than " + MAX_HEAD + " bytes");
                }
                if (filled < 0) {
                    if (!anyByte && first) {
                        throw new NoAnswer();
                    }
                    throw new IOException("the instance closed the connection in the middle of an answer's head");
                }
                anyByte = true;
                // the buffer may have moved its bytes to the front
                int shift = connection.pos() - base;
                lineStart += shift;
                scanned = connection.end() - filled;
                for (int[] line : lines) {
                    line[0] += shift;
                    line[1] += shift;
                }
                continue;
            }
            anyByte = true;
            if (lf == lineStart || buffer[lf - 1] != '\r') {
                throw new MalformedMessage("a line of the instance's answer ends with a bare LF");
            }
            int lineEnd = lf - 1;
            for (int i = lineStart; i < lineEnd; i++) {
                if (buffer[i] == '\r') {
                    throw new MalformedMessage("a line of the instance's answer has a bare CR");
                }
            }
            if (lineEnd == lineStart) {
                Head head = parse(buffer, lines);
                connection.consume(lf + 1 - connection.pos());
                return head;
            }
            lines.add(new int[] {lineStart, lineEnd});
            lineStart = lf + 1;
            scanned = lineStart;
        }
    }

    private static Head parse(byte[] buffer, List<int[]> lines) {
        if (lines.isEmpty()) {
            throw new MalformedMessage("the instance's answer has no status line");
        }
        int[] statusLine = lines.getFirst();
        int from = statusLine[0];
        int to = statusLine[1];
        // HTTP/1.x SP 3DIGIT [SP reason]
        if (to - from < 12 || !Syntax.equalsIgnoreCase(buffer, from, from + 7, "http/1.") || buffer[from] != 'H'
                || (buffer[from + 7] != '0' && buffer[from + 7] != '1') || buffer[from + 8] != ' '
                || !digit(buffer[from + 9]) || !digit(buffer[from + 10]) || !digit(buffer[from + 11])
                || to - from > 12 && buffer[from + 12] != ' ') {
            throw new MalformedMessage("the instance's status line is not HTTP/1.x with a three-digit status");
        }
        int status = (buffer[from + 9] - '0') * 100 + (buffer[from + 10] - '0') * 10 + (buffer[from + 11] - '0');
        if (status < 100) {
            throw new MalformedMessage("the instance's status code is below 100");
        }
        for (int i = from + 13; i < to; i++) {
            if (!Syntax.isFieldValueChar(buffer[i])) {
                throw new MalformedMessage("the instance's reason phrase has a control character");
            }
        }
        WritableHeaders<?> headers = WritableHeaders.create();
        FieldLine field = new FieldLine();
        for (int i = 1; i < lines.size(); i++) {
            int[] line = lines.get(i);
            try {
                field.parse(buffer, line[0], line[1]);
            } catch (MalformedMessage e) {
                throw new MalformedMessage("the instance's answer: " + e.getMessage());
            }
            String name = new String(buffer, line[0], field.nameEnd() - line[0], StandardCharsets.US_ASCII);
            String value = new String(buffer, field.valueFrom(), field.valueTo() - field.valueFrom(),
                                      StandardCharsets.ISO_8859_1);
            headers.add(HeaderValues.create(HeaderNames.create(name), value));
        }
        return new Head(status, buffer[from + 7] - '0', headers);
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** An answer's status line and header section. */
    private record Head(int status, int minorVersion, WritableHeaders<?> headers) {
    }

    /** The connection ended before the first byte of an answer: on a reused connection, the instance closed it. */
    static final class NoAnswer extends IOException {
        NoAnswer() {
            super("the instance closed the connection without answering");
        }
    }
}
