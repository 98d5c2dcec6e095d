package dev.refgateway.gateway.edge;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.refgateway.gateway.http1.ChunkedDecoder;
import dev.refgateway.gateway.http1.FieldLine;
import dev.refgateway.gateway.http1.MalformedMessage;
import dev.refgateway.gateway.http1.RequestTarget;
import dev.refgateway.gateway.http1.Syntax;
import dev.refgateway.gateway.problem.GatewayProblem;

import io.helidon.webserver.CloseConnectionException;

/**
 * Reads the HTTP/1 requests of one client connection, strictly, before Helidon's parser sees a byte of them, and
 * hands that parser only what passed — in a form it reads the way the gateway does.
 * <p>
 * Why: Helidon 4.5's HTTP/1 server refuses HTTP/1.0, answers a valid chunk extension with 500, reads a chunk size
 * line as one hexadecimal number ({@code 0x5}, overflows and bare LFs end in 500, some leave the connection open
 * for the bytes after them to be read as a new request), keeps reading after a {@code Connection: close} request,
 * and decodes paths in a way that lets encoded dots through. Here, per request:
 * <ul>
 *     <li>the request line and header section are checked ({@code CRLF} only, no bare CR or LF, no obsolete line
 *     folding, no whitespace before a colon, field values without controls, one {@code Host} for HTTP/1.1, sizes
 *     within limits: 414 and 431), the framing headers are judged by {@link RequestFraming}, and the
 *     request-target is made {@link RequestTarget canonical};</li>
 *     <li>HTTP/1.0 becomes HTTP/1.1 for Helidon, with {@code Connection: close} unless the client asked for
 *     keep-alive, and a {@code Host} when it sent none ({@link ResponseWriter} keeps answers readable to it);</li>
 *     <li>a fixed-length body passes as it is; a chunked body is decoded ({@link ChunkedDecoder}: extensions and
 *     trailers dropped) and re-framed in plain chunks;</li>
 *     <li>after a request that asked to close, nothing more is read: the next read is the end of the stream.</li>
 * </ul>
 * Output stops at the end of each request. Helidon asks for more only when it starts on the next request, after it
 * has answered this one; {@link #nextRequest()} marks that moment. Every refusal is final: {@link #refusal()}
 * says what to answer, the connection is closed, and no byte after it is ever parsed as a request.
 * <p>
 * One instance per connection, used by the connection's own thread only; the times it records for the deadlines
 * are read by the sweeper ({@link RequestClock}).
 */
final class RequestFramer {

    /** Leading empty lines tolerated before a request line (RFC 9112 §2.2 asks servers to skip at least one). */
    private static final int MAX_LEADING_EMPTY_LINES = 8;
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private enum State { HEAD, FIXED_BODY, CHUNKED_BODY, COMPLETE, CLOSED, FAILED }

    /**
     * @param maxRequestLine   longest request line, without CRLF (longer: 414)
     * @param maxHeaderBytes   largest header section, field lines and their CRLFs (larger: 431); also the limit of a
     *                         chunked body's trailer section
     * @param defaultAuthority the {@code Host} given to HTTP/1.0 requests that send none (the listener's address)
     */
    record Limits(int maxRequestLine, int maxHeaderBytes, String defaultAuthority) {
    }

    private final Limits limits;
    private final RequestClock clock;
    private final FieldLine field = new FieldLine();
    private final Head head = new Head();

    // input not yet consumed: buffer[start, end)
    private byte[] buffer = new byte[0];
    private int start;
    private int end;
    // where the scan for the current head's end goes on, and the lines found so far (from, to pairs, no CRLF)
    private int scanned;
    private int[] lines = new int[64];
    private int lineCount;
    private int leadingEmptyLines;

    private State state = State.HEAD;
    private long bodyRemaining;
    private ChunkedDecoder chunked;
    private boolean closeAfterRequest;
    private boolean http10;
    private long heads;
    private Refusal refusal;
    private boolean failedInHead;
    // a body refused after its head (or some of its data) was handed over: raised at the next read
    private MalformedMessage pendingRefusal;

    RequestFramer(Limits limits, RequestClock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** Bytes that arrived from the client; the framer keeps the array (socket reads hand over fresh ones). */
    void received(byte[] bytes) {
        if (bytes.length == 0 || state == State.CLOSED || state == State.FAILED) {
            return;
        }
        if (state == State.HEAD && start == end && lineCount == 0) {
            clock.headStarted();
        }
        if (start == end) {
            buffer = bytes;
            start = 0;
            end = bytes.length;
            scanned = 0;
            return;
        }
        if (end + bytes.length > buffer.length) {
            int unread = end - start;
            byte[] target = unread + bytes.length <= buffer.length ? buffer
                    : new byte[Math.max(unread + bytes.length, buffer.length * 2)];
            System.arraycopy(buffer, start, target, 0, unread);
            scanned -= start;
            shiftLines(-start);
            buffer = target;
            start = 0;
            end = unread;
        }
        System.arraycopy(bytes, 0, buffer, end, bytes.length);
        end += bytes.length;
    }

    /**
     * The next bytes for Helidon, from what has arrived: a checked request head, body bytes, or both; empty when
     * more must arrive first, when the request is complete (until {@link #nextRequest()}), or after a refusal.
     */
    byte[] next() {
        try {
            if (pendingRefusal != null) {
                MalformedMessage refused = pendingRefusal;
                pendingRefusal = null;
                throw refused;
            }
            return switch (state) {
                case HEAD -> head();
                case FIXED_BODY -> fixedBody(null);
                case CHUNKED_BODY -> chunkedBody(null);
                case COMPLETE, CLOSED, FAILED -> EMPTY;
            };
        } catch (MalformedMessage e) {
            failedInHead = state == State.HEAD;
            fail(e instanceof Refused refused ? refused.problem
                    : state == State.HEAD ? GatewayProblem.MALFORMED_REQUEST : GatewayProblem.BAD_FRAMING,
                 e.getMessage());
            return EMPTY;
        }
    }

    /**
     * Helidon asks for the next request: the previous one has been answered. Returns false when the connection must
     * end instead — the request or its answer said {@code Connection: close}, or something was refused.
     */
    boolean nextRequest() {
        if (state != State.COMPLETE) {
            return state != State.CLOSED && state != State.FAILED;
        }
        if (closeAfterRequest) {
            state = State.CLOSED;
            return false;
        }
        state = State.HEAD;
        http10 = false;
        if (start < end) {
            clock.headStarted();
        }
        return true;
    }

    /** The answer to the request being read says {@code Connection: close}: this is the connection's last request. */
    void closeAfterThisRequest() {
        closeAfterRequest = true;
    }

    /** The client closed its side. */
    void endOfInput() {
        if (state == State.HEAD) {
            state = State.CLOSED;   // nothing, or part of a head: nobody is waiting for an answer
        } else if (state != State.COMPLETE && state != State.FAILED && state != State.CLOSED) {
            fail(GatewayProblem.BAD_FRAMING, "the connection ended in the middle of a request");
        }
    }

    /** Whether a request's head has been handed over and its body is not complete yet. */
    boolean inBody() {
        return state == State.FIXED_BODY || state == State.CHUNKED_BODY;
    }

    /** Whether the framer is waiting for a request head (between requests, or with part of one). */
    boolean inHead() {
        return state == State.HEAD;
    }

    /** The request being read (or last read) is HTTP/1.0. */
    boolean http10() {
        return http10;
    }

    /** Whether the request being read asked to close the connection after it. */
    boolean closeAfterRequest() {
        return closeAfterRequest;
    }

    /** What was refused, once the framer failed; null before. */
    Refusal refusal() {
        return refusal;
    }

    /** Whether the refusal came in a request head: no part of that request reached Helidon. */
    boolean inHeadFailure() {
        return failedInHead;
    }

    /** How many request heads have been handed over so far. */
    long heads() {
        return heads;
    }

    /** Whether the framer refused something: the connection must be answered (when possible) and closed. */
    boolean failed() {
        return state == State.FAILED;
    }

    /** Whether the connection has ended cleanly (no more requests will be read). */
    boolean closed() {
        return state == State.CLOSED;
    }

    // --- the request head ---------------------------------------------------------------------------------------

    private byte[] head() {
        if (!findHeadEnd()) {
            return EMPTY;
        }
        int headStart = lines[0];
        int headEnd = scanned;
        RequestTarget target = checkHead();
        if (!clock.headComplete()) {
            throw new CloseConnectionException("request header timeout");
        }
        boolean rewrite = target != RequestTarget.UNCHANGED || head.version != Head.HTTP_1_1 || head.hostCount == 0
                || http10 && (!head.keepAlive || !head.expectLines.isEmpty());
        byte[] headBytes = rewrite ? rewrittenHead(target) : Arrays.copyOfRange(buffer, headStart, headEnd);
        start = headEnd;
        lineCount = 0;
        leadingEmptyLines = 0;
        closeAfterRequest = head.close || http10 && !head.keepAlive;
        heads++;
        if (head.framing.kind() == RequestFraming.Kind.CHUNKED) {
            state = State.CHUNKED_BODY;
            chunked = new ChunkedDecoder(limits.maxHeaderBytes());
            clock.bodyStarted();
            return chunkedBody(headBytes);
        }
        if (head.framing.contentLength() > 0) {
            state = State.FIXED_BODY;
            bodyRemaining = head.framing.contentLength();
            clock.bodyStarted();
            return fixedBody(headBytes);
        }
        state = State.COMPLETE;
        return headBytes;
    }

    /** Scans for the empty line that ends the head; true when it is in. Checks line endings and size limits. */
    private boolean findHeadEnd() {
        while (true) {
            int lineStart;
            if (lineCount == 0) {
                lineStart = skipLeadingEmptyLines(start);
                if (lineStart < 0) {
                    scanned = end;
                    return false;
                }
            } else {
                lineStart = lines[2 * lineCount - 1] + 2;
            }
            int lf = indexOf(buffer, (byte) '\n', Math.max(scanned, lineStart), end);
            // Helidon takes request lines shorter than its max-prologue-length (CRLF not counted)
            int limit = lineCount == 0 ? limits.maxRequestLine() + 1 : headerBudget(lineStart);
            if (lf < 0) {
                if (end - lineStart > limit) {
                    throw tooLarge(lineCount == 0);
                }
                scanned = end;
                return false;
            }
            boolean emptyLine = lineCount > 0 && lf == lineStart + 1 && buffer[lineStart] == '\r';
            if (lf - lineStart + 1 > limit && !emptyLine) {
                throw tooLarge(lineCount == 0);
            }
            if (lf == lineStart || buffer[lf - 1] != '\r') {
                throw new MalformedMessage("a line of the request head ends with a bare LF");
            }
            int lineEnd = lf - 1;
            if (indexOf(buffer, (byte) '\r', lineStart, lineEnd) >= 0) {
                throw new MalformedMessage("a line of the request head has a bare CR");
            }
            scanned = lf + 1;
            if (lineEnd == lineStart) {
                return true;   // the empty line: the head is complete
            }
            addLine(lineStart, lineEnd);
        }
    }

    /** Skips CRLFs before the request line (consumed: {@code start} moves); -1 when the bytes end within them. */
    private int skipLeadingEmptyLines(int pos) {
        while (pos < end) {
            byte b = buffer[pos];
            if (b == '\n') {
                throw new MalformedMessage("a line of the request head ends with a bare LF");
            }
            if (b != '\r') {
                return pos;
            }
            if (pos + 1 == end) {
                return -1;
            }
            if (buffer[pos + 1] != '\n') {
                throw new MalformedMessage("a line of the request head has a bare CR");
            }
            if (++leadingEmptyLines > MAX_LEADING_EMPTY_LINES) {
                throw new MalformedMessage("too many empty lines before the request line");
            }
            pos += 2;
            start = pos;
        }
        return -1;
    }

    /** Bytes a header line starting at {@code lineStart} may still take, its CRLF included. */
    private int headerBudget(int lineStart) {
        int fieldsStart = lines[1] + 2;
        return limits.maxHeaderBytes() - (lineStart - fieldsStart);
    }

    private MalformedMessage tooLarge(boolean requestLine) {
        return requestLine ? new Refused(GatewayProblem.URI_TOO_LONG, "the request line is not shorter than "
                                         + limits.maxRequestLine() + " bytes")
                : new Refused(GatewayProblem.HEADERS_TOO_LARGE,
                              "the header section is larger than " + limits.maxHeaderBytes() + " bytes");
    }

    /** Checks the request line and every field line; fills {@link #head}. */
    private RequestTarget checkHead() {
        head.reset();
        int lineFrom = lines[0];
        int lineTo = lines[1];
        int firstSpace = indexOf(buffer, (byte) ' ', lineFrom, lineTo);
        int secondSpace = firstSpace < 0 ? -1 : indexOf(buffer, (byte) ' ', firstSpace + 1, lineTo);
        if (secondSpace < 0 || indexOf(buffer, (byte) ' ', secondSpace + 1, lineTo) >= 0) {
            throw new MalformedMessage("the request line is not: method, one space, target, one space, version");
        }
        if (!Syntax.isToken(buffer, lineFrom, firstSpace)) {
            throw new MalformedMessage("the request method is not a token");
        }
        head.methodEnd = firstSpace;
        head.targetFrom = firstSpace + 1;
        head.targetTo = secondSpace;
        head.version = version(secondSpace + 1, lineTo);
        http10 = head.version == Head.HTTP_1_0;
        if (head.targetFrom == head.targetTo) {
            throw new MalformedMessage("the request target is empty");
        }
        for (int i = 2; i < 2 * lineCount; i += 2) {
            fieldLine(lines[i], lines[i + 1]);
        }
        RequestTarget target;
        try {
            target = RequestTarget.check(buffer, head.targetFrom, head.targetTo);
        } catch (MalformedMessage e) {
            throw new Refused(GatewayProblem.INVALID_REQUEST_TARGET, e.getMessage());
        }
        if (head.hostCount > 1) {
            throw new MalformedMessage("the request has more than one Host header");
        }
        if (head.hostCount == 0 && !http10 && target.authority() == null) {
            throw new MalformedMessage("an HTTP/1.1 request without a Host header");
        }
        head.framing = RequestFraming.check(head.contentLengths, head.transferCodings);
        if (!head.framing.valid()) {
            throw new Refused(head.framing.kind() == RequestFraming.Kind.UNSUPPORTED_TRANSFER_CODING
                    ? GatewayProblem.UNSUPPORTED_TRANSFER_CODING : GatewayProblem.BAD_FRAMING, head.framing.reason());
        }
        if (http10 && head.framing.kind() == RequestFraming.Kind.CHUNKED) {
            // RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing
            throw new MalformedMessage("an HTTP/1.0 request with Transfer-Encoding");
        }
        return target;
    }

    private int version(int from, int to) {
        if (to - from == 8 && Syntax.equalsIgnoreCase(buffer, from, from + 5, "http/") && buffer[from] == 'H'
                && buffer[from + 1] == 'T' && buffer[from + 2] == 'T' && buffer[from + 3] == 'P'
                && buffer[from + 6] == '.' && isDigit(buffer[from + 5]) && isDigit(buffer[from + 7])) {
            int major = buffer[from + 5] - '0';
            int minor = buffer[from + 7] - '0';
            if (major == 1) {
                // RFC 9110 §2.5: a higher minor version is handled as the highest one the server implements
                return minor == 0 ? Head.HTTP_1_0 : minor == 1 ? Head.HTTP_1_1 : Head.HTTP_1_X;
            }
            throw new Refused(GatewayProblem.HTTP_VERSION_NOT_SUPPORTED, "HTTP/" + major + "." + minor
                    + " is not served on this port (HTTP/1.0 and HTTP/1.1 are)");
        }
        throw new MalformedMessage("the request line does not end with a valid HTTP version");
    }

    private void fieldLine(int from, int to) {
        field.parse(buffer, from, to);
        int nameEnd = field.nameEnd();
        int length = nameEnd - from;
        String value = null;
        switch (length) {
            case 4 -> {
                if (Syntax.equalsIgnoreCase(buffer, from, nameEnd, "host")) {
                    head.hostCount++;
                    head.hostLine = from;
                }
            }
            case 10 -> {
                if (Syntax.equalsIgnoreCase(buffer, from, nameEnd, "connection")) {
                    connectionTokens(field.valueFrom(), field.valueTo());
                }
            }
            case 6 -> {
                if (Syntax.equalsIgnoreCase(buffer, from, nameEnd, "expect")) {
                    head.expectLines.add(from);
                }
            }
            case 14 -> {
                if (Syntax.equalsIgnoreCase(buffer, from, nameEnd, "content-length")) {
                    value = value();
                    head.contentLengths.add(value);
                }
            }
            case 17 -> {
                if (Syntax.equalsIgnoreCase(buffer, from, nameEnd, "transfer-encoding")) {
                    value = value();
                    head.transferCodings.add(value);
                }
            }
            default -> {
                // not a header the framer needs
            }
        }
    }

    private String value() {
        return new String(buffer, field.valueFrom(), field.valueTo() - field.valueFrom(), StandardCharsets.ISO_8859_1);
    }

    private void connectionTokens(int from, int to) {
        int i = from;
        while (i < to) {
            while (i < to && (buffer[i] == ' ' || buffer[i] == '\t' || buffer[i] == ',')) {
                i++;
            }
            int tokenStart = i;
            while (i < to && buffer[i] != ',' && buffer[i] != ' ' && buffer[i] != '\t') {
                i++;
            }
            if (Syntax.equalsIgnoreCase(buffer, tokenStart, i, "close")) {
                head.close = true;
            } else if (Syntax.equalsIgnoreCase(buffer, tokenStart, i, "keep-alive")) {
                head.keepAlive = true;
            }
        }
    }

    /** The head Helidon gets when the request line or the Host must change; field lines otherwise kept as sent. */
    private byte[] rewrittenHead(RequestTarget target) {
        Output out = new Output(scanned - lines[0] + 64);
        out.write(buffer, lines[0], head.methodEnd + 1);
        if (target == RequestTarget.UNCHANGED) {
            out.write(buffer, head.targetFrom, head.targetTo);
        } else {
            out.ascii(target.target());
        }
        out.ascii(" HTTP/1.1\r\n");
        String authority = target.authority();
        for (int i = 2; i < 2 * lineCount; i += 2) {
            if (authority != null && lines[i] == head.hostLine) {
                continue;   // the absolute-form target's authority wins over the Host header
            }
            if (http10 && head.expectLines.contains(lines[i])) {
                continue;   // RFC 9110 §10.1.1: an HTTP/1.0 request's 100-continue is ignored (never a 100 to it)
            }
            out.write(buffer, lines[i], lines[i + 1]);
            out.ascii("\r\n");
        }
        if (authority != null) {
            out.ascii("Host: ").ascii(authority).ascii("\r\n");
        } else if (head.hostCount == 0) {
            out.ascii("Host: ").ascii(limits.defaultAuthority()).ascii("\r\n");
        }
        if (http10 && !head.keepAlive) {
            out.ascii("Connection: close\r\n");
        }
        out.ascii("\r\n");
        return out.toByteArray();
    }

    // --- bodies -------------------------------------------------------------------------------------------------

    private byte[] fixedBody(byte[] headBytes) {
        int n = (int) Math.min(bodyRemaining, end - start);
        if (n > 0) {
            bodyRemaining -= n;
            clock.bodyReceived(n);
        }
        if (bodyRemaining == 0) {
            complete();
        }
        if (headBytes == null) {
            if (n == 0) {
                return EMPTY;
            }
            byte[] body = start == 0 && n == buffer.length ? buffer : Arrays.copyOfRange(buffer, start, start + n);
            start += n;
            return body;
        }
        byte[] out = Arrays.copyOf(headBytes, headBytes.length + n);
        System.arraycopy(buffer, start, out, headBytes.length, n);
        start += n;
        return out;
    }

    /** Decoded chunk data re-framed as one plain chunk per piece; the last chunk once the body is complete. */
    private byte[] chunkedBody(byte[] headBytes) {
        Output out = null;
        if (headBytes != null) {
            out = new Output(headBytes.length + (end - start) + 32);
            out.write(headBytes, 0, headBytes.length);
        }
        int pos = start;
        try {
            while (pos < end && !chunked.finished()) {
                pos = chunked.skipFraming(buffer, pos, end);
                int n = (int) Math.min(chunked.dataRemaining(), end - pos);
                if (n > 0) {
                    if (out == null) {
                        out = new Output(n + 16);
                    }
                    out.ascii(Integer.toHexString(n)).ascii("\r\n");
                    out.write(buffer, pos, pos + n);
                    out.ascii("\r\n");
                    chunked.dataTaken(n);
                    clock.bodyReceived(n);
                    pos += n;
                }
            }
        } catch (MalformedMessage e) {
            if (out == null) {
                throw e;
            }
            // Helidon gets what was valid (the head, so the refusal is answered as this request's); then the refusal
            pendingRefusal = e;
            start = end;
            return out.toByteArray();
        }
        start = pos;
        if (chunked.finished()) {
            if (out == null) {
                out = new Output(LAST_CHUNK.length);
            }
            out.write(LAST_CHUNK, 0, LAST_CHUNK.length);
            complete();
            chunked = null;
        }
        return out == null ? EMPTY : out.toByteArray();
    }

    // --- bookkeeping ------------------------------------------------------------------------------------------

    private void complete() {
        state = State.COMPLETE;
        if (!clock.bodyComplete()) {
            throw new CloseConnectionException("request body timeout");
        }
    }

    private void fail(GatewayProblem problem, String reason) {
        state = State.FAILED;
        refusal = new Refusal(problem, reason);
        start = end;
    }

    private void addLine(int from, int to) {
        if (2 * lineCount + 2 > lines.length) {
            lines = Arrays.copyOf(lines, lines.length * 2);
        }
        lines[2 * lineCount] = from;
        lines[2 * lineCount + 1] = to;
        lineCount++;
    }

    private void shiftLines(int by) {
        for (int i = 0; i < 2 * lineCount; i++) {
            lines[i] += by;
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static final byte[] EMPTY = new byte[0];

    /** What the framer refused: the problem to answer with, and why. */
    record Refusal(GatewayProblem problem, String detail) {
    }

    /** A refusal with a problem of its own (414, 431, 501, 505, an invalid target) rather than a plain 400. */
    private static final class Refused extends MalformedMessage {
        private final GatewayProblem problem;

        Refused(GatewayProblem problem, String reason) {
            super(reason);
            this.problem = problem;
        }
    }

    /** What the framer learns from one request head. */
    private static final class Head {
        static final int HTTP_1_0 = 0;
        static final int HTTP_1_1 = 1;
        static final int HTTP_1_X = 2;

        final java.util.List<String> contentLengths = new java.util.ArrayList<>(1);
        final java.util.List<String> transferCodings = new java.util.ArrayList<>(1);
        final java.util.List<Integer> expectLines = new java.util.ArrayList<>(1);
        int methodEnd;
        int targetFrom;
        int targetTo;
        int version;
        int hostCount;
        int hostLine;
        boolean close;
        boolean keepAlive;
        RequestFraming.Result framing;

        void reset() {
            contentLengths.clear();
            transferCodings.clear();
            expectLines.clear();
            hostCount = 0;
            hostLine = -1;
            close = false;
            keepAlive = false;
            framing = null;
        }
    }

    /** A growable byte array. */
    private static final class Output {
        private byte[] bytes;
        private int length;

        Output(int capacity) {
            bytes = new byte[capacity];
        }

        void write(byte[] from, int fromIndex, int toIndex) {
            int n = toIndex - fromIndex;
            ensure(n);
            System.arraycopy(from, fromIndex, bytes, length, n);
            length += n;
        }

        Output ascii(String text) {
            int n = text.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                bytes[length++] = (byte) text.charAt(i);
            }
            return this;
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        byte[] toByteArray() {
            return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
        }
    }
}
