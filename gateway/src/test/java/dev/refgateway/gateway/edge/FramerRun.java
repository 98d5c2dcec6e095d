package dev.refgateway.gateway.edge;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Drives a {@link RequestFramer} the way Helidon's parser does: takes its output until a request is complete, asks
 * for the next request, and feeds the input in pieces of a given size. What Helidon would have seen is
 * {@link #requests()}, one string per request.
 */
final class FramerRun {

    static final RequestFramer.Limits LIMITS = new RequestFramer.Limits(200, 400, "10.0.0.1:8080");

    private final List<String> requests = new ArrayList<>();
    private final RequestFramer framer;
    private String unfinished = "";
    private boolean closedAfterLastRequest;

    private FramerRun(RequestFramer framer) {
        this.framer = framer;
    }

    /** Frames {@code input}, arriving {@code pieceSize} bytes at a time. */
    static FramerRun of(String input, int pieceSize) {
        RequestClock clock = new RequestClock(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, 500);
        FramerRun run = new FramerRun(new RequestFramer(LIMITS, clock));
        run.feed(input.getBytes(StandardCharsets.ISO_8859_1), pieceSize);
        return run;
    }

    static FramerRun of(String input) {
        return of(input, Integer.MAX_VALUE);
    }

    private void feed(byte[] input, int pieceSize) {
        StringBuilder current = new StringBuilder();
        int pos = 0;
        while (true) {
            byte[] out = framer.next();
            if (out.length > 0) {
                current.append(new String(out, StandardCharsets.ISO_8859_1));
                continue;
            }
            if (framer.failed()) {
                break;
            }
            if (!framer.inHead() && !framer.inBody()) {
                requests.add(current.toString());
                current.setLength(0);
                if (!framer.nextRequest()) {
                    closedAfterLastRequest = !framer.failed();
                    break;
                }
                continue;
            }
            if (pos >= input.length) {
                framer.endOfInput();
                break;
            }
            int n = Math.min(pieceSize, input.length - pos);
            framer.received(Arrays.copyOfRange(input, pos, pos + n));
            pos += n;
        }
        unfinished = current.toString();
    }

    /** The requests Helidon got, each complete. */
    List<String> requests() {
        return requests;
    }

    /** Bytes handed over of a request that did not complete (a refused body, say). */
    String unfinished() {
        return unfinished;
    }

    /** What was refused, or null. */
    RequestFramer.Refusal refusal() {
        return framer.refusal();
    }

    /** Whether the refusal came in a request head (then the edge answers it itself). */
    boolean refusedInHead() {
        return framer.inHeadFailure();
    }

    /** Whether the connection ended after the last request because it (or its answer) said so. */
    boolean closedAfterLastRequest() {
        return closedAfterLastRequest;
    }
}
