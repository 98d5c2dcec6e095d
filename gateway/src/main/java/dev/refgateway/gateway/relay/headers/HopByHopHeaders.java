package dev.refgateway.gateway.relay.headers;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;


import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.WritableHeaders;

/**
 * Copies the end-to-end headers of a message to the next hop, in either direction (client → instance with
 * {@link #copyRequestHeaders}, instance → client with {@link #copyResponseHeaders}).
 * <p>
 * Never copied, in either direction:
 * <ul>
 *     <li>the hop-by-hop headers of RFC 9110 §7.6.1: {@code Connection}, {@code Keep-Alive},
 *     {@code Proxy-Connection}, {@code TE}, {@code Trailer}, {@code Transfer-Encoding}, {@code Upgrade};</li>
 *     <li>{@code Proxy-Authenticate} and {@code Proxy-Authorization}: RFC 7230 §6.1 (and RFC 2616 §13.5.1) list them
 *     as hop-by-hop, and they are addressed to a proxy, never to the origin — forwarding a client's proxy
 *     credentials to an instance would leak them;</li>
 *     <li>every header named in any {@code Connection} header (several headers and comma lists, case-insensitive,
 *     whitespace-tolerant): the sender declared them meaningful for this hop only;</li>
 *     <li>{@code Content-Length}: the gateway decides the framing of what it sends (a body may be re-sent, or
 *     streamed chunked), so it sets the length itself.</li>
 * </ul>
 * Not copied in the request direction only:
 * <ul>
 *     <li>{@code Host}: the gateway addresses the instance and sets it (the client's host travels as
 *     {@code X-Forwarded-Host});</li>
 *     <li>{@code Expect}: the gateway's own server has already answered {@code 100-continue} to the client;
 *     forwarding it would make the instance expect a handshake the gateway's client does not perform
 *     (Envoy strips it by default too).</li>
 * </ul>
 * Headers the gateway adds itself ({@code X-Forwarded-*}, {@code X-Request-Id}) must be set <em>after</em> the copy,
 * so that a client cannot remove them by naming them in {@code Connection}.
 * <p>
 * Cost: one set look-up per header. Without a {@code Connection} header, or with one that says only {@code close}
 * or {@code keep-alive}, nothing is allocated; otherwise each header name is compared with the listed names in
 * place, still without allocation.
 */
public final class HopByHopHeaders {

    /** Lower-case names that never cross a hop. */
    private static final List<String> HOP_BY_HOP = List.of(
            "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
            "proxy-authenticate", "proxy-authorization");

    private static final Set<String> REQUEST_SKIP = union(HOP_BY_HOP, "content-length", "host", "expect");
    private static final Set<String> RESPONSE_SKIP = union(HOP_BY_HOP, "content-length");
    private static final Set<String> HOP_BY_HOP_SET = Set.copyOf(HOP_BY_HOP);

    private HopByHopHeaders() {
    }

    /**
     * Copies the client's end-to-end request headers to the instance's request; skips hop-by-hop headers, headers
     * named in {@code Connection}, {@code Content-Length}, {@code Host} and {@code Expect}. Replaces a header of the
     * same name already in {@code to}.
     */
    public static void copyRequestHeaders(Headers from, WritableHeaders<?> to) {
        copy(from, to, REQUEST_SKIP, null);
    }

    /** As {@link #copyRequestHeaders(Headers, WritableHeaders)}, also skipping {@code untrusted} headers. */
    public static void copyRequestHeaders(Headers from, WritableHeaders<?> to, UntrustedHeaders untrusted) {
        copy(from, to, REQUEST_SKIP, untrusted);
    }

    /**
     * Copies the instance's end-to-end response headers to the client's response; skips hop-by-hop headers, headers
     * named in {@code Connection} and {@code Content-Length}. Replaces a header of the same name already in
     * {@code to}.
     */
    public static void copyResponseHeaders(Headers from, WritableHeaders<?> to) {
        copy(from, to, RESPONSE_SKIP, null);
    }

    /** Whether {@code name} is one of the fixed hop-by-hop headers listed on this class (not framing, not Host). */
    public static boolean isHopByHop(HeaderName name) {
        return HOP_BY_HOP_SET.contains(name.lowerCase());
    }

    private static void copy(Headers from, WritableHeaders<?> to, Set<String> skip, UntrustedHeaders untrusted) {
        Set<String> named = namedInConnection(from);
        for (Header header : from) {
            HeaderName name = header.headerName();
            String lowerCase = name.lowerCase();
            if (skip.contains(lowerCase) || name.isPseudoHeader() || named.contains(lowerCase)) {
                continue;
            }
            if (untrusted != null && untrusted.isUntrusted(name)) {
                continue;
            }
            to.set(header);
        }
    }

    /**
     * The headers {@code Connection} names (RFC 9110 §7.6.1), lower case; nothing for the usual {@code close} and
     * {@code keep-alive}. Helidon's {@code Headers.values} splits the list (every value, quoted strings kept whole).
     */
    private static Set<String> namedInConnection(Headers headers) {
        if (!headers.contains(HeaderNames.CONNECTION)) {
            return Set.of();
        }
        Header connection = headers.get(HeaderNames.CONNECTION);
        if (connection.valueCount() == 1 && namesNothing(connection.get())) {
            // every answer of an nginx instance says "Connection: keep-alive": no list to split, nothing to allocate
            return Set.of();
        }
        Set<String> named = new HashSet<>();
        for (String token : headers.values(HeaderNames.CONNECTION)) {
            String name = token.strip().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && !name.equals("close") && !name.equals("keep-alive")) {
                named.add(name);
            }
        }
        return named;
    }

    private static boolean namesNothing(String value) {
        String token = value.strip();
        return token.equalsIgnoreCase("keep-alive") || token.equalsIgnoreCase("close");
    }

    private static Set<String> union(List<String> base, String... more) {
        String[] all = base.toArray(new String[base.size() + more.length]);
        System.arraycopy(more, 0, all, base.size(), more.length);
        return Set.of(all);
    }
}
