package dev.refgateway.gateway.edge;

import java.util.List;

import dev.refgateway.gateway.http1.HttpLists;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

/**
 * Decides whether the client's message framing is unambiguous before anything is forwarded: a defence against
 * request smuggling, where the gateway and an instance would disagree on where one request ends and the next begins.
 * <p>
 * Rules, in the order they are checked:
 * <ol>
 *     <li>{@code Content-Length} and {@code Transfer-Encoding} together: {@link Kind#AMBIGUOUS}
 *     (RFC 9112 §6.3 allows the receiver to prefer chunked; a proxy must not forward such a message as is).</li>
 *     <li>More than one {@code Content-Length} value — several headers or a comma list — {@link Kind#AMBIGUOUS},
 *     <em>even when the values are equal</em>. This is stricter than RFC 9110 §8.6, which lets a recipient
 *     accept identical duplicates; like Envoy's default, we refuse them, since a peer that picks "the first" and
 *     one that picks "the last" only agree by luck.</li>
 *     <li>A {@code Content-Length} that is not 1*DIGIT ({@code +5}, {@code -1}, {@code 0x10}, empty) or does not fit
 *     in a {@code long}: {@link Kind#INVALID}. Surrounding spaces and tabs are tolerated.</li>
 *     <li>{@code Transfer-Encoding} (all headers, all list elements, case-insensitive) whose final coding is not
 *     {@code chunked}, that is empty, or that applies {@code chunked} twice: {@link Kind#INVALID} — the body
 *     length cannot be determined (RFC 9112 §6.3).</li>
 *     <li>{@code chunked} preceded by another coding ({@code gzip, chunked}): well framed, but the gateway does not
 *     implement other transfer codings and cannot forward them: {@link Kind#UNSUPPORTED_TRANSFER_CODING}
 *     (RFC 9112 §6.1 suggests 501).</li>
 * </ol>
 * {@link RequestFramer} applies these rules to every request head before Helidon's parser sees it, so Helidon only
 * ever reads framing that the gateway judged unambiguous ({@code RawFramingBehaviourTest} pins that Helidon 4.5.0,
 * on its own, would refuse the same requests).
 */
public final class RequestFraming {

    /** Result for a request without {@code Content-Length} or {@code Transfer-Encoding}: no body. */
    public static final Result NO_BODY = new Result(Kind.NO_BODY, -1, "");
    /** Result for a request with {@code Transfer-Encoding: chunked}. */
    public static final Result CHUNKED = new Result(Kind.CHUNKED, -1, "");

    private static final Result BOTH = rejected(Kind.AMBIGUOUS,
            "both Content-Length and Transfer-Encoding are present");
    private static final Result SEVERAL_LENGTHS = rejected(Kind.AMBIGUOUS,
            "more than one Content-Length value");
    private static final Result LENGTH_NOT_A_NUMBER = rejected(Kind.INVALID,
            "Content-Length is not a non-negative decimal integer");
    private static final Result LENGTH_TOO_LARGE = rejected(Kind.INVALID,
            "Content-Length is too large");
    private static final Result CODING_EMPTY = rejected(Kind.INVALID,
            "Transfer-Encoding is empty");
    private static final Result CHUNKED_NOT_FINAL = rejected(Kind.INVALID,
            "the final Transfer-Encoding is not chunked");
    private static final Result CHUNKED_TWICE = rejected(Kind.INVALID,
            "chunked Transfer-Encoding is applied more than once");
    private static final Result OTHER_CODING = rejected(Kind.UNSUPPORTED_TRANSFER_CODING,
            "Transfer-Encoding other than chunked is not supported");

    private RequestFraming() {
    }

    /** Checks the framing headers of a request. Never throws for anything a client can send. */
    public static Result check(Headers headers) {
        return check(headers.all(HeaderNames.CONTENT_LENGTH, List::of),
                     headers.all(HeaderNames.TRANSFER_ENCODING, List::of));
    }

    /**
     * Checks the framing of a request from its header values, one element per field line.
     *
     * @param contentLengths    the values of every {@code Content-Length} field line
     * @param transferEncodings the values of every {@code Transfer-Encoding} field line
     */
    public static Result check(List<String> contentLengths, List<String> transferEncodings) {
        boolean hasLength = !contentLengths.isEmpty();
        boolean hasCoding = !transferEncodings.isEmpty();
        if (hasLength && hasCoding) {
            return BOTH;
        }
        if (hasCoding) {
            return checkTransferEncoding(transferEncodings);
        }
        if (hasLength) {
            return checkContentLength(contentLengths);
        }
        return NO_BODY;
    }

    private static Result checkContentLength(List<String> values) {
        if (values.size() != 1) {
            return SEVERAL_LENGTHS;
        }
        String value = values.getFirst();
        int length = value.length();
        int start = HttpLists.skipWhitespace(value, 0, length);
        int end = HttpLists.trimEnd(value, start, length);
        if (HttpLists.indexOf(value, ',', start, end) != end) {
            return SEVERAL_LENGTHS;
        }
        if (start == end) {
            return LENGTH_NOT_A_NUMBER;
        }
        long parsed = 0;
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return LENGTH_NOT_A_NUMBER;
            }
            int digit = c - '0';
            if (parsed > (Long.MAX_VALUE - digit) / 10) {
                return LENGTH_TOO_LARGE;
            }
            parsed = parsed * 10 + digit;
        }
        return new Result(Kind.CONTENT_LENGTH, parsed, "");
    }

    private static Result checkTransferEncoding(List<String> values) {
        int codings = 0;
        int chunked = 0;
        boolean lastIsChunked = false;
        for (String list : values) {
            int length = list.length();
            int i = 0;
            while (i < length) {
                int start = HttpLists.skipWhitespace(list, i, length);
                int comma = HttpLists.indexOf(list, ',', start, length);
                int end = HttpLists.trimEnd(list, start, comma);
                if (end > start) {
                    codings++;
                    lastIsChunked = end - start == 7 && list.regionMatches(true, start, "chunked", 0, 7);
                    if (lastIsChunked) {
                        chunked++;
                    }
                }
                i = comma + 1;
            }
        }
        if (codings == 0) {
            return CODING_EMPTY;
        }
        if (!lastIsChunked) {
            return CHUNKED_NOT_FINAL;
        }
        if (chunked > 1) {
            return CHUNKED_TWICE;
        }
        return codings == 1 ? CHUNKED : OTHER_CODING;
    }

    private static Result rejected(Kind kind, String reason) {
        return new Result(kind, -1, reason);
    }

    /** What the framing headers say. */
    public enum Kind {
        /** Neither {@code Content-Length} nor {@code Transfer-Encoding}: the request has no body. */
        NO_BODY,
        /** One valid {@code Content-Length}. */
        CONTENT_LENGTH,
        /** {@code Transfer-Encoding: chunked} alone. */
        CHUNKED,
        /** Two framings, or several lengths: peers could disagree on the body's end. Answer 400 and close. */
        AMBIGUOUS,
        /** The body's length cannot be determined. Answer 400 and close. */
        INVALID,
        /** Well framed, but with a transfer coding other than chunked. Answer 501 (or 400) and close. */
        UNSUPPORTED_TRANSFER_CODING
    }

    /**
     * The verdict on one request's framing.
     *
     * @param kind          what the framing headers say
     * @param contentLength the parsed {@code Content-Length} for {@link Kind#CONTENT_LENGTH}, else {@code -1}
     * @param reason        for a rejected request, a short reason that is safe to show the client; else empty
     */
    public record Result(Kind kind, long contentLength, String reason) {

        /** Whether the request may be forwarded. */
        public boolean valid() {
            return kind == Kind.NO_BODY || kind == Kind.CONTENT_LENGTH || kind == Kind.CHUNKED;
        }

        /** Whether the body is chunked (its length is unknown until it ends). */
        public boolean chunked() {
            return kind == Kind.CHUNKED;
        }
    }
}
