package dev.refgateway.gateway.http1;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;


/**
 * The one path the gateway decides on and forwards, computed once from the request-target of the request line.
 * <p>
 * Why: a gateway that decides on one reading of a path (routes, authorisation, rate-limit keys) and forwards another
 * can be talked past. {@code /secure%2fusers/x} decoded is {@code /secure/users/x}; {@code /users/%2e%2e/admin} is
 * {@code /admin} to any instance that decodes before resolving dots. Here the request-target is brought into one
 * canonical form before anyone looks at it, and that form is what the request line carries from then on, to the
 * gateway's own code and to the instance alike.
 * <ol>
 *     <li>Form: origin-form ({@code /path?query}) is kept; absolute-form ({@code http://host/path?query}) becomes
 *     origin-form and its authority replaces the {@code Host} header (RFC 9112 §3.2.2); anything else
 *     (authority-form, asterisk-form) is refused. A {@code #fragment} is refused: clients never send one.</li>
 *     <li>Percent-encoding (RFC 3986 §6.2.2): escapes of unreserved characters are decoded ({@code %7E} → {@code ~},
 *     {@code %2e} → {@code .}); every other escape stays, in upper case ({@code %c3%a9} → {@code %C3%A9}).
 *     Refused: a malformed escape, an escaped control character ({@code %00}-{@code %1F}, {@code %7F}), an escaped
 *     backslash ({@code %5C}). {@code %2F} stays {@code %2F} — never a separator — and a route must allow it
 *     explicitly ({@code allow-encoded-slash}), like Envoy's {@code path_with_escaped_slashes_action}.</li>
 *     <li>Characters: only those RFC 3986 allows in a path. A backslash is refused (some servers read it as a
 *     separator), and so is a semicolon: servlet containers cut {@code ;params} off a segment, so
 *     {@code /admin;x/secret} would reach them as {@code /admin/secret} while the gateway matched something else
 *     ({@code ..;} gets its own message).</li>
 *     <li>Segments: runs of {@code /} are merged, then dot segments removed (RFC 3986 §5.2.4), the decoded ones
 *     included; a path that climbs above the root ({@code /../x}) is refused, as nginx does.</li>
 * </ol>
 * The query is not part of any decision and is forwarded exactly as it arrived.
 * <p>
 * Most requests need none of this: {@link #check} recognises a target that is already canonical without allocating.
 */
public final class RequestTarget {

    /** What {@link #check} returns for a target that is already canonical: forward the bytes as they are. */
    public static final RequestTarget UNCHANGED = new RequestTarget(null, null);

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final boolean[] PATH_CHAR = new boolean[128];
    private static final boolean[] UNRESERVED = new boolean[128];

    static {
        for (int c = '0'; c <= '9'; c++) {
            UNRESERVED[c] = true;
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            UNRESERVED[c] = true;
            UNRESERVED[c + ('a' - 'A')] = true;
        }
        for (char c : "-._~".toCharArray()) {
            UNRESERVED[c] = true;
        }
        System.arraycopy(UNRESERVED, 0, PATH_CHAR, 0, 128);
        // sub-delims without ';' (refused, see above), and ':' '@' '/'
        for (char c : "!$&'()*+,=:@/".toCharArray()) {
            PATH_CHAR[c] = true;
        }
    }

    private final String target;
    private final String authority;

    private RequestTarget(String target, String authority) {
        this.target = target;
        this.authority = authority;
    }

    /**
     * The canonical form of {@code line[from, to)}, a request-target of visible ASCII characters.
     *
     * @return {@link #UNCHANGED} when the target is canonical already, else the rewritten target
     * @throws MalformedMessage naming why the target is refused
     */
    public static RequestTarget check(byte[] line, int from, int to) {
        if (isCanonicalOriginForm(line, from, to)) {
            return UNCHANGED;
        }
        return canonical(new String(line, from, to - from, StandardCharsets.ISO_8859_1));
    }

    /**
     * The canonical form of {@code target}; unlike {@link #check} never {@link #UNCHANGED}.
     *
     * @throws MalformedMessage naming why the target is refused
     */
    public static RequestTarget canonical(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                throw new MalformedMessage("the request target has a space, a control or a non-ASCII character");
            }
        }
        if (target.indexOf('#') >= 0) {
            throw new MalformedMessage("the request target has a fragment (#...), which is never sent to a server");
        }
        String authority = null;
        String rest;
        if (target.startsWith("/")) {
            rest = target;
        } else if (startsWithIgnoreCase(target, "http://") || startsWithIgnoreCase(target, "https://")) {
            int start = target.indexOf("//") + 2;
            int end = start;
            while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
                end++;
            }
            authority = authority(target.substring(start, end));
            rest = end == target.length() || target.charAt(end) == '?' ? "/" + target.substring(end)
                    : target.substring(end);
        } else {
            throw new MalformedMessage("the request target is neither a path (/...) nor an absolute http(s) URI");
        }
        int question = rest.indexOf('?');
        String path = question < 0 ? rest : rest.substring(0, question);
        String canonical = canonicalPath(path);
        return new RequestTarget(question < 0 ? canonical : canonical + rest.substring(question), authority);
    }

    /**
     * The canonical form of a path (no query).
     *
     * @throws MalformedMessage naming why the path is refused
     */
    public static String canonicalPath(String path) {
        if (!path.startsWith("/")) {
            throw new MalformedMessage("the path does not start with /");
        }
        StringBuilder decoded = new StringBuilder(path.length());
        int segmentStart = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                int hi = i + 1 < path.length() ? Syntax.hexValue(path.charAt(i + 1)) : -1;
                int lo = i + 2 < path.length() ? Syntax.hexValue(path.charAt(i + 2)) : -1;
                if (hi < 0 || lo < 0) {
                    throw new MalformedMessage("the path has a % that does not start a valid escape (%XX)");
                }
                int value = hi << 4 | lo;
                if (value < 0x20 || value == 0x7F) {
                    throw new MalformedMessage("the path has an escaped control character (%" + HEX[hi] + HEX[lo]
                            + ")");
                }
                if (value == '\\') {
                    throw new MalformedMessage("the path has an escaped backslash (%5C)");
                }
                if (value < 0x80 && UNRESERVED[value]) {
                    decoded.append((char) value);
                } else {
                    decoded.append('%').append(HEX[hi]).append(HEX[lo]);
                }
                i += 2;
            } else if (c == '/') {
                decoded.append(c);
                segmentStart = decoded.length();
            } else if (c == '\\') {
                throw new MalformedMessage("the path has a backslash");
            } else if (c == ';') {
                String segment = decoded.substring(segmentStart);
                throw new MalformedMessage(segment.equals(".") || segment.equals("..")
                        ? "the path has a dot segment with parameters (..;)"
                        : "the path has a semicolon (path parameters are refused: some servers cut them off, and "
                          + "would see another path than the one the gateway decided on)");
            } else if (c < 128 && PATH_CHAR[c]) {
                decoded.append(c);
            } else if (c < 0x20 || c == 0x7F) {
                throw new MalformedMessage("the path has a control character");
            } else {
                throw new MalformedMessage("the path has a character that a URI path may not contain");
            }
        }
        String canonical = withoutDotSegments(decoded);
        if (canonical.indexOf("%2F") >= 0) {
            // a route may take %2F as data, but an instance that decodes it and then resolves dots would climb
            for (String piece : canonical.split("/|%2F", -1)) {
                if (piece.equals(".") || piece.equals("..")) {
                    throw new MalformedMessage("the path has a dot segment next to an encoded slash (%2F..)");
                }
            }
        }
        return canonical;
    }

    /** Whether the path has an encoded slash, which only routes that allow it accept. */
    public static boolean hasEncodedSlash(String canonicalPath) {
        return canonicalPath.indexOf("%2F") >= 0;
    }

    /** The target to put in the request line ({@code /path?query}); null for {@link #UNCHANGED}. */
    public String target() {
        return target;
    }

    /** The authority of an absolute-form target, which replaces {@code Host}; null for origin-form. */
    public String authority() {
        return authority;
    }

    /** Merges runs of '/', then removes dot segments; {@code decoded} starts with '/'. */
    private static String withoutDotSegments(CharSequence decoded) {
        List<String> segments = new ArrayList<>();
        boolean trailingSlash = false;
        int length = decoded.length();
        int start = 1;
        while (start <= length) {
            int end = start;
            while (end < length && decoded.charAt(end) != '/') {
                end++;
            }
            boolean last = end == length;
            String segment = decoded.subSequence(start, end).toString();
            switch (segment) {
                case "", "." -> trailingSlash = last;
                case ".." -> {
                    if (segments.isEmpty()) {
                        throw new MalformedMessage("the path climbs above the root (..)");
                    }
                    segments.removeLast();
                    trailingSlash = last;
                }
                default -> {
                    segments.add(segment);
                    trailingSlash = false;
                }
            }
            start = end + 1;
        }
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder path = new StringBuilder(length);
        for (String segment : segments) {
            path.append('/').append(segment);
        }
        if (trailingSlash) {
            path.append('/');
        }
        return path.toString();
    }

    /**
     * An origin-form target that is canonical as sent: path characters only, no escape, no empty or dot segment;
     * the query, if any, free of '#'.
     */
    private static boolean isCanonicalOriginForm(byte[] line, int from, int to) {
        if (from == to || line[from] != '/') {
            return false;
        }
        int segmentStart = from + 1;
        int pathEnd = to;
        for (int i = from + 1; i < to; i++) {
            int b = line[i];
            if (b == '?') {
                pathEnd = i;
                break;
            }
            if (b == '/') {
                if (isEmptyOrDots(line, segmentStart, i)) {
                    return false;
                }
                segmentStart = i + 1;
            } else if (b < 0 || !PATH_CHAR[b]) {
                return false;
            }
        }
        // The last segment may be empty (the root, or a trailing slash after a segment checked above), not dots.
        if (pathEnd > segmentStart && isEmptyOrDots(line, segmentStart, pathEnd)) {
            return false;
        }
        for (int i = pathEnd + 1; i < to; i++) {
            byte b = line[i];
            if (b == '#' || b <= 0x20 || b == 0x7F) {   // (non-ASCII bytes are negative)
                return false;
            }
        }
        return true;
    }

    private static boolean isEmptyOrDots(byte[] line, int from, int to) {
        int length = to - from;
        return length == 0
                || length == 1 && line[from] == '.'
                || length == 2 && line[from] == '.' && line[from + 1] == '.';
    }

    private static String authority(String authority) {
        if (authority.isEmpty()) {
            throw new MalformedMessage("the absolute request target has no host");
        }
        if (authority.indexOf('@') >= 0) {
            throw new MalformedMessage("the absolute request target has user information (user@host)");
        }
        for (int i = 0; i < authority.length(); i++) {
            char c = authority.charAt(i);
            if (!(c < 128 && UNRESERVED[c]) && c != ':' && c != '[' && c != ']') {
                throw new MalformedMessage("the absolute request target has a host that is not a name or address");
            }
        }
        return authority;
    }

    private static boolean startsWithIgnoreCase(String text, String prefix) {
        return text.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
