package dev.refgateway.gateway.grpc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A path template of a {@code google.api.http} rule ({@code google/api/http.proto}):
 * <pre>
 * Template = "/" Segments [ Verb ]        /v1/orders/{id}:watch
 * Segment  = "*" | "**" | LITERAL | Variable
 * Variable = "{" FieldPath [ "=" Segments ] "}"   {id}, {name=shelves/*}, {path=**}
 * </pre>
 * {@link #match} binds the variables of a request path to field paths. A variable of one segment gets the segment
 * percent-decoded; one of several segments gets them joined by {@code /} with every escape decoded except
 * {@code %2F}, which stays (the rule's own definition). {@code **} may only end a template. Every match is on whole
 * segments: a literal {@code orders} never matches {@code order}.
 */
final class PathTemplate {

    private enum Kind { LITERAL, ONE, ANY }

    /** One segment of the template; {@code variable} is the index of the variable it belongs to, or -1. */
    private record Segment(Kind kind, String literal, int variable) {
    }

    private final String text;
    private final List<Segment> segments;
    private final List<String> variables;
    private final String verb;

    private PathTemplate(String text, List<Segment> segments, List<String> variables, String verb) {
        this.text = text;
        this.segments = List.copyOf(segments);
        this.variables = List.copyOf(variables);
        this.verb = verb;
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    static PathTemplate parse(String template) {
        if (template == null || !template.startsWith("/")) {
            throw invalid(template, "starts with /");
        }
        String path = template;
        String verb = null;
        int lastSlash = template.lastIndexOf('/');
        int colon = template.indexOf(':', lastSlash);
        if (colon >= 0 && template.indexOf('}', colon) < 0) {
            verb = template.substring(colon + 1);
            path = template.substring(0, colon);
            if (verb.isEmpty() || !isLiteral(verb)) {
                throw invalid(template, "a verb of letters, digits, '-', '_' or '.' after the last ':'");
            }
        }
        List<Segment> segments = new ArrayList<>();
        List<String> variables = new ArrayList<>();
        int i = 1;
        while (i <= path.length()) {
            if (path.startsWith("{", i)) {
                int close = path.indexOf('}', i);
                if (close < 0) {
                    throw invalid(template, "every { closed by }");
                }
                String inner = path.substring(i + 1, close);
                int equals = inner.indexOf('=');
                String field = equals < 0 ? inner : inner.substring(0, equals);
                if (!isFieldPath(field)) {
                    throw invalid(template, "a field path such as order_id or order.id in {" + inner + "}");
                }
                if (variables.contains(field)) {
                    throw invalid(template, "each field bound once ({" + field + "} twice)");
                }
                int index = variables.size();
                variables.add(field);
                String pattern = equals < 0 ? "*" : inner.substring(equals + 1);
                for (String part : pattern.split("/", -1)) {
                    segments.add(segment(template, part, index));
                }
                i = close + 1;
            } else {
                int slash = path.indexOf('/', i);
                int end = slash < 0 ? path.length() : slash;
                segments.add(segment(template, path.substring(i, end), -1));
                i = end;
            }
            if (i < path.length() && path.charAt(i) != '/') {
                throw invalid(template, "a variable to be a whole segment");
            }
            i++;
        }
        for (int s = 0; s < segments.size() - 1; s++) {
            if (segments.get(s).kind == Kind.ANY) {
                throw invalid(template, "** only as the last segment");
            }
        }
        return new PathTemplate(template, segments, variables, verb);
    }

    private static Segment segment(String template, String part, int variable) {
        return switch (part) {
            case "*" -> new Segment(Kind.ONE, null, variable);
            case "**" -> new Segment(Kind.ANY, null, variable);
            default -> {
                if (part.isEmpty() || !isLiteral(part)) {
                    throw invalid(template, "segments of letters, digits, '-', '_', '.' or '~', '*', '**' or a "
                            + "variable (\"" + part + "\")");
                }
                yield new Segment(Kind.LITERAL, part, variable);
            }
        };
    }

    /**
     * The values of the template's variables in {@code path} (raw, as the request line carries it, without the query),
     * by field path; null when the path does not match.
     */
    Map<String, String> match(String path) {
        String rest = path;
        if (verb != null) {
            String suffix = ":" + verb;
            if (!rest.endsWith(suffix)) {
                return null;
            }
            rest = rest.substring(0, rest.length() - suffix.length());
        }
        if (!rest.startsWith("/")) {
            return null;
        }
        String[] parts = rest.substring(1).split("/", -1);
        List<List<String>> captured = new ArrayList<>(variables.size());
        for (int v = 0; v < variables.size(); v++) {
            captured.add(new ArrayList<>());
        }
        int p = 0;
        for (Segment segment : segments) {
            if (segment.kind == Kind.ANY) {
                for (; p < parts.length; p++) {
                    if (parts[p].isEmpty()) {
                        return null;
                    }
                    capture(captured, segment, parts[p]);
                }
                break;
            }
            if (p >= parts.length || parts[p].isEmpty()) {
                return null;
            }
            if (segment.kind == Kind.LITERAL && !segment.literal.equals(parts[p])) {
                return null;
            }
            capture(captured, segment, parts[p]);
            p++;
        }
        if (p != parts.length) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int v = 0; v < variables.size(); v++) {
            List<String> raw = captured.get(v);
            values.put(variables.get(v), raw.size() == 1 ? decode(raw.getFirst(), false)
                    : decode(String.join("/", raw), true));
        }
        return values;
    }

    /** The field paths the template binds, in order. */
    List<String> variables() {
        return variables;
    }

    /** Literal segments: among templates that match the same path, more literals is more specific. */
    int literalCount() {
        return (int) segments.stream().filter(s -> s.kind == Kind.LITERAL).count() + (verb == null ? 0 : 1);
    }

    @Override
    public String toString() {
        return text;
    }

    private static void capture(List<List<String>> captured, Segment segment, String part) {
        if (segment.variable >= 0) {
            captured.get(segment.variable).add(part);
        }
    }

    /** Percent-decodes UTF-8; {@code %2F} stays encoded when {@code keepSlash}. The edge has checked the escapes. */
    private static String decode(String raw, boolean keepSlash) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                int value = hex(raw, i);
                if (value >= 0 && !(keepSlash && value == '/')) {
                    bytes.write(value);
                    i += 2;
                    continue;
                }
            }
            byte[] chunk = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            bytes.write(chunk, 0, chunk.length);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(String raw, int percent) {
        int high = Character.digit(raw.charAt(percent + 1), 16);
        int low = Character.digit(raw.charAt(percent + 2), 16);
        return high < 0 || low < 0 ? -1 : high * 16 + low;
    }

    private static boolean isLiteral(String text) {
        return text.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '~');
    }

    private static boolean isFieldPath(String path) {
        if (path.isEmpty()) {
            return false;
        }
        for (String part : path.split("\\.", -1)) {
            if (part.isEmpty() || !Character.isLetter(part.charAt(0)) && part.charAt(0) != '_'
                    || !part.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException invalid(String template, String expected) {
        return new IllegalArgumentException("\"" + template + "\" (expected: a path template with " + expected + ")");
    }
}
