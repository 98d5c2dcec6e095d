package dev.refgateway.gateway.http1;

import java.nio.charset.StandardCharsets;

/**
 * One field line ({@code name: value}, RFC 9112 §5) of a header or trailer section, checked strictly: the name a
 * token with no whitespace before the colon, no obsolete line folding, the value free of CR, LF, NUL and other
 * controls. A parser that reads a message's lines reuses one instance: {@link #parse} sets the bounds of the name and
 * the value (without surrounding whitespace) and allocates nothing.
 */
public final class FieldLine {

    private int nameEnd;
    private int valueFrom;
    private int valueTo;

    /**
     * Parses {@code line[from, to)}, a field line without its CRLF.
     *
     * @throws MalformedMessage naming what is wrong
     */
    public void parse(byte[] line, int from, int to) {
        if (from < to && (line[from] == ' ' || line[from] == '\t')) {
            throw new MalformedMessage("a field line starts with whitespace (obsolete line folding is refused)");
        }
        int colon = from;
        while (colon < to && line[colon] != ':') {
            colon++;
        }
        if (colon == to) {
            throw new MalformedMessage("a field line has no colon");
        }
        if (colon == from) {
            throw new MalformedMessage("a field line has an empty name");
        }
        if (line[colon - 1] == ' ' || line[colon - 1] == '\t') {
            throw new MalformedMessage("whitespace between a field name and its colon");
        }
        if (!Syntax.isToken(line, from, colon)) {
            throw new MalformedMessage("a field name with a character that is not allowed in a token");
        }
        int start = colon + 1;
        while (start < to && (line[start] == ' ' || line[start] == '\t')) {
            start++;
        }
        int end = to;
        while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
            end--;
        }
        for (int i = start; i < end; i++) {
            if (!Syntax.isFieldValueChar(line[i])) {
                throw new MalformedMessage("the value of " + new String(line, from, colon - from,
                        StandardCharsets.US_ASCII) + " has a control character (CR, LF, NUL or another)");
            }
        }
        this.nameEnd = colon;
        this.valueFrom = start;
        this.valueTo = end;
    }

    /** End (exclusive) of the name of the line last parsed; it starts where the line does. */
    public int nameEnd() {
        return nameEnd;
    }

    /** Start of the value of the line last parsed, after leading whitespace. */
    public int valueFrom() {
        return valueFrom;
    }

    /** End (exclusive) of the value of the line last parsed, before trailing whitespace. */
    public int valueTo() {
        return valueTo;
    }
}
