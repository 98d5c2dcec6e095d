package dev.refgateway.gateway.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.helidon.http.Headers;
import io.helidon.http.Method;

/**
 * The routes by path, so that a request is checked against the routes its path can match rather than against all.
 *
 * <p>A trie over the patterns' segments: a literal segment is a child by its text, {@code *} the one wildcard child
 * (any non-empty segment). A node lists the routes whose pattern ends there — exact ones (the path must end there
 * too) and prefix ones ({@code /**}: any rest, including none, {@code /} or more segments) — by rank, their
 * position in the table's match order. The pattern {@code /} is the literal empty segment under the root: the path
 * {@code /} is one empty segment, and no other pattern has an empty one.
 *
 * <p>A match walks the path's segments in place (no split, no allocation) into both the literal and the wildcard
 * child, and keeps the smallest rank of a route whose conditions hold: the route that a scan of every route in match
 * order finds first. A branch none of whose routes ranks before the best found so far is not entered, and a list is
 * read only up to that rank, so that methods, host and headers are checked on few routes.
 */
final class RouteIndex {

    private static final int NONE = Integer.MAX_VALUE;

    private final Route[] ordered;
    private final Node root;

    /** An index of {@code ordered}, the routes in match order: a route's rank is its position there. */
    RouteIndex(Route[] ordered) {
        this.ordered = ordered;
        Builder builder = new Builder();
        for (int rank = 0; rank < ordered.length; rank++) {
            builder.add(ordered[rank].path(), rank);
        }
        this.root = builder.build();
    }

    /** The rank of the first route in match order that matches the request, or -1 when none does. */
    int first(Method method, String host, String path, Headers headers) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            return -1; // no pattern matches a path that is not absolute
        }
        int best = walk(root, path, 0, method, host, headers, NONE);
        return best == NONE ? -1 : best;
    }

    // pos: the '/' that starts the path's next segment, or the path's end. Returns the smallest rank below best of a
    // route in this node or under it that matches the request, else best.
    private int walk(Node node, String path, int pos, Method method, String host, Headers headers, int best) {
        int length = path.length();
        if (pos == length) {
            best = firstMatch(node.exact, best, method, host, headers);
        } else {
            int start = pos + 1;
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            Node literal = node.literals.get(path, start, end);
            if (literal != null && literal.minRank < best) {
                best = walk(literal, path, end, method, host, headers, best);
            }
            Node any = node.anySegment;
            if (any != null && end > start && any.minRank < best) {
                best = walk(any, path, end, method, host, headers, best);
            }
        }
        // A prefix pattern ending here takes whatever rest the path has: nothing, "/" or more segments.
        return firstMatch(node.prefix, best, method, host, headers);
    }

    // The ranks of one list share one path pattern and ascend: the first whose conditions hold is the list's best.
    private int firstMatch(int[] ranks, int best, Method method, String host, Headers headers) {
        for (int rank : ranks) {
            if (rank >= best) {
                break;
            }
            if (ordered[rank].matchesConditions(method, host, headers)) {
                return rank;
            }
        }
        return best;
    }

    /** One node of the trie. */
    private static final class Node {

        final SegmentMap<Node> literals;
        final Node anySegment;
        final int[] exact;
        final int[] prefix;
        // The smallest rank in this node and under it: a walk that found a better route need not go in.
        final int minRank;

        Node(SegmentMap<Node> literals, Node anySegment, int[] exact, int[] prefix, int minRank) {
            this.literals = literals;
            this.anySegment = anySegment;
            this.exact = exact;
            this.prefix = prefix;
            this.minRank = minRank;
        }
    }

    /** A node while the trie is being built. */
    private static final class Builder {

        private final Map<String, Builder> literals = new HashMap<>();
        private final List<Integer> exact = new ArrayList<>();
        private final List<Integer> prefix = new ArrayList<>();
        private Builder anySegment;

        // Called in rank order, so that every list ascends.
        void add(PathPattern pattern, int rank) {
            Builder node = this;
            if (pattern.kind() == PathPattern.Kind.EXACT && pattern.segmentCount() == 0) {
                node = node.literal(""); // the pattern "/"
            }
            for (int i = 0; i < pattern.segmentCount(); i++) {
                String segment = pattern.segment(i);
                node = segment == null ? node.wildcard() : node.literal(segment);
            }
            (pattern.kind() == PathPattern.Kind.PREFIX ? node.prefix : node.exact).add(rank);
        }

        Node build() {
            int minRank = Math.min(exact.isEmpty() ? NONE : exact.get(0), prefix.isEmpty() ? NONE : prefix.get(0));
            Map<String, Node> children = new HashMap<>();
            for (Map.Entry<String, Builder> entry : literals.entrySet()) {
                Node child = entry.getValue().build();
                children.put(entry.getKey(), child);
                minRank = Math.min(minRank, child.minRank);
            }
            Node any = anySegment == null ? null : anySegment.build();
            if (any != null) {
                minRank = Math.min(minRank, any.minRank);
            }
            return new Node(SegmentMap.of(children), any, toArray(exact), toArray(prefix), minRank);
        }

        private Builder literal(String segment) {
            return literals.computeIfAbsent(segment, s -> new Builder());
        }

        private Builder wildcard() {
            if (anySegment == null) {
                anySegment = new Builder();
            }
            return anySegment;
        }

        private static int[] toArray(List<Integer> ranks) {
            return ranks.stream().mapToInt(Integer::intValue).toArray();
        }
    }
}
