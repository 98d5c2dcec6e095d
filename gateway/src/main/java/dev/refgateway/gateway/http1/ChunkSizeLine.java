package dev.refgateway.gateway.http1;

/**
 * The line that opens a chunk of a chunked body (RFC 9112 §7.1): {@code chunk-size [ chunk-ext ] CRLF}.
 * <pre>
 * chunk-size = 1*HEXDIG
 * chunk-ext  = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )   ; token or quoted-string values
 * </pre>
 * Extensions are valid HTTP and are accepted, checked and dropped: no one downstream needs them, and forwarding them
 * would hand an instance's parser the very bytes some parsers get wrong. Everything else is refused: a missing size,
 * {@code 0x5}, a sign, whitespace before the size, a size past 2^60 bytes, stray characters after it.
 */
public final class ChunkSizeLine {

    /** The longest size line accepted, extensions included: enough for any real extension, bounded for a proxy. */
    public static final int MAX_LENGTH = 4096;
    /** Sizes have at most this many significant hex digits (2^60 bytes): no overflow is possible below it. */
    private static final int MAX_DIGITS = 15;

    private ChunkSizeLine() {
    }

    /**
     * The chunk size in {@code line[from, to)}, a size line without its CRLF.
     *
     * @throws MalformedMessage naming what is wrong
     */
    public static long parse(byte[] line, int from, int to) {
        if (to - from > MAX_LENGTH) {
            throw new MalformedMessage("a chunk size line is longer than " + MAX_LENGTH + " bytes");
        }
        long size = 0;
        int digits = 0;
        int i = from;
        while (i < to) {
            int value = Syntax.hexValue(line[i]);
            if (value < 0) {
                break;
            }
            if (size != 0 || value != 0) {
                if (++digits > MAX_DIGITS) {
                    throw new MalformedMessage("a chunk size is too large");
                }
            }
            size = (size << 4) | value;
            i++;
        }
        if (i == from || i < to && line[i] != ' ' && line[i] != '\t' && line[i] != ';') {
            throw new MalformedMessage("a chunk size is not a hexadecimal number");
        }
        if (i < to) {
            extensions(line, i, to);
        }
        return size;
    }

    /** Checks {@code *( BWS ";" BWS name [ BWS "=" BWS value ] )} from {@code i} to {@code to}. */
    private static void extensions(byte[] line, int i, int to) {
        while (i < to) {
            i = whitespace(line, i, to);
            if (i == to || line[i] != ';') {
                throw new MalformedMessage("a chunk size is followed by something that is not a chunk extension");
            }
            i = whitespace(line, i + 1, to);
            int name = i;
            while (i < to && Syntax.isTchar(line[i])) {
                i++;
            }
            if (i == name) {
                throw new MalformedMessage("a chunk extension has no name");
            }
            int afterName = whitespace(line, i, to);
            if (afterName < to && line[afterName] == '=') {
                i = whitespace(line, afterName + 1, to);
                i = i < to && line[i] == '"' ? quotedString(line, i, to) : token(line, i, to);
            }
        }
    }

    private static int token(byte[] line, int i, int to) {
        int start = i;
        while (i < to && Syntax.isTchar(line[i])) {
            i++;
        }
        if (i == start) {
            throw new MalformedMessage("a chunk extension has an empty or invalid value");
        }
        return i;
    }

    private static int quotedString(byte[] line, int i, int to) {
        i++; // the opening quote
        while (i < to) {
            int b = line[i] & 0xFF;
            if (b == '"') {
                return i + 1;
            }
            if (b == '\\') {
                if (i + 1 == to || !Syntax.isFieldValueChar(line[i + 1])) {
                    throw new MalformedMessage("a chunk extension has an invalid escape in a quoted value");
                }
                i += 2;
                continue;
            }
            if (!Syntax.isFieldValueChar(b)) {
                throw new MalformedMessage("a chunk extension has a control character in a quoted value");
            }
            i++;
        }
        throw new MalformedMessage("a chunk extension has an unterminated quoted value");
    }

    private static int whitespace(byte[] line, int i, int to) {
        while (i < to && (line[i] == ' ' || line[i] == '\t')) {
            i++;
        }
        return i;
    }
}
