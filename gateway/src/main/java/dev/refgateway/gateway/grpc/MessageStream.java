package dev.refgateway.gateway.grpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.grpc.Status;

/**
 * A server stream's messages as the body of one HTTP answer, each written as soon as it arrives: one JSON object per
 * line ({@code application/x-ndjson}), or one Server-Sent Event per message ({@code data: {...}}) for a client that
 * asked for {@code text/event-stream}. The HTTP status was sent with the first message, so a failure after it is
 * told in the stream: a last line {@code {"error": {problem}}}, or an {@code event: error}. {@link #available()}
 * is 0 between messages, which makes the relay flush; closing the stream early (the client left) cancels the call.
 */
final class MessageStream extends InputStream {

    /** How messages are framed. */
    enum Format {
        NDJSON("application/x-ndjson"),
        EVENT_STREAM("text/event-stream");

        final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }
    }

    private final GrpcCall call;
    private final JsonMessages json;
    private final Format format;
    private final String responseBody;
    private final long idleNanos;
    private final String path;
    private byte[] current;
    private int pos;
    private boolean ended;

    MessageStream(GrpcCall call, JsonMessages json, Format format, String responseBody, Duration idleTimeout,
                  String path, byte[] firstMessage) {
        this.call = call;
        this.json = json;
        this.format = format;
        this.responseBody = responseBody;
        this.idleNanos = idleTimeout.toNanos();
        this.path = path;
        this.current = frame(firstMessage);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] into, int offset, int count) throws IOException {
        while (pos == current.length) {
            if (ended) {
                return -1;
            }
            current = nextFrame();
            pos = 0;
        }
        int n = Math.min(count, current.length - pos);
        System.arraycopy(current, pos, into, offset, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return current.length - pos;
    }

    @Override
    public void close() {
        if (!ended) {
            ended = true;
            call.cancel("the client went away");
        }
    }

    private byte[] nextFrame() throws IOException {
        while (true) {
            GrpcCall.Event event;
            try {
                event = call.next(idleNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                call.cancel("interrupted");
                throw new InterruptedIOException("interrupted while waiting for the next message");
            }
            switch (event) {
                case null -> {
                    ended = true;
                    call.cancel("no message within the stream idle timeout");
                    return error(Status.DEADLINE_EXCEEDED.withDescription(
                            "no message for " + Duration.ofNanos(idleNanos).toMillis() + " ms"));
                }
                case GrpcCall.Event.Headers headers -> {
                    // response headers went out with the first message; later ones have nowhere to go
                }
                case GrpcCall.Event.Message message -> {
                    try {
                        return frame(json.print(message.message(), responseBody));
                    } catch (IOException e) {
                        // committed already: the stream says what went wrong, and ends
                        ended = true;
                        call.cancel("an answer that cannot be written as JSON");
                        return error(Status.INTERNAL.withDescription(e.getMessage()));
                    }
                }
                case GrpcCall.Event.Closed closed -> {
                    ended = true;
                    return closed.status().isOk() ? new byte[0] : error(closed.status());
                }
            }
        }
    }

    private byte[] frame(byte[] json) {
        return switch (format) {
            case NDJSON -> concat(json, "\n");
            case EVENT_STREAM -> concat(concat("data: ".getBytes(StandardCharsets.US_ASCII), json), "\n\n");
        };
    }

    private byte[] error(Status status) {
        byte[] problem = GrpcAnswers.problem(status, path);
        return switch (format) {
            case NDJSON -> concat(concat("{\"error\":".getBytes(StandardCharsets.US_ASCII), problem), "}\n");
            case EVENT_STREAM -> concat(concat("event: error\ndata: ".getBytes(StandardCharsets.US_ASCII), problem),
                                        "\n\n");
        };
    }

    private static byte[] concat(byte[] head, String tail) {
        return concat(head, tail.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] concat(byte[] head, byte[] tail) {
        byte[] all = new byte[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
