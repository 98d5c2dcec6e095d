package dev.refgateway.gateway.relay.headers;

import java.util.List;
import java.util.Objects;

import dev.refgateway.gateway.http1.HttpLists;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.WritableHeaders;

/**
 * Tells the instance who the client is ({@code X-Forwarded-For}, {@code -Proto}, {@code -Host}) and works out the
 * client's address for rate limiting and access logs, believing forwarding headers only from
 * {@link TrustedProxies trusted} peers.
 * <p>
 * What the instance receives, by peer:
 * <table>
 *     <caption>Forwarding headers sent upstream</caption>
 *     <tr><th>header</th><th>peer trusted</th><th>peer not trusted (any client)</th></tr>
 *     <tr><td>{@code X-Forwarded-For}</td><td>incoming chain + {@code , peer}</td><td>{@code peer} alone</td></tr>
 *     <tr><td>{@code X-Forwarded-Proto}</td><td>incoming, else this request's scheme</td>
 *         <td>this request's scheme</td></tr>
 *     <tr><td>{@code X-Forwarded-Host}</td><td>incoming, else this request's Host</td>
 *         <td>this request's Host</td></tr>
 *     <tr><td>{@code Forwarded}, {@code X-Forwarded-Port}, {@code X-Forwarded-Prefix}</td>
 *         <td>kept as copied</td><td>removed</td></tr>
 * </table>
 * A client-sent {@code Forwarded} (RFC 7239) is removed rather than rewritten: the gateway speaks the
 * {@code X-Forwarded-*} dialect its instances read, and an unvouched {@code Forwarded: for=...} would let any client
 * pose as anyone to an instance that prefers RFC 7239. The gateway does not add a {@code Forwarded} element of its own.
 */
public final class ForwardedHeaders {

    private ForwardedHeaders() {
    }

    /**
     * Writes the forwarding headers into the instance's request. Call it after
     * {@link HopByHopHeaders#copyRequestHeaders}: it replaces what the copy brought over.
     *
     * @param remoteIp the peer's address as the socket reports it (an IP literal; never {@code null})
     * @param scheme   {@code http} or {@code https}: how the client reached the gateway
     * @param host     the request's {@code Host} (authority); {@code null} or empty when it had none
     * @param incoming the client's request headers
     * @param outgoing the instance's request headers
     * @param trusted  the peers whose forwarding headers are believed
     */
    public static void apply(String remoteIp, String scheme, String host, Headers incoming,
                             WritableHeaders<?> outgoing, TrustedProxies trusted) {
        Objects.requireNonNull(remoteIp, "remoteIp");
        boolean peerTrusted = trusted.isTrusted(remoteIp);
        if (peerTrusted && incoming.contains(HeaderNames.X_FORWARDED_FOR)) {
            outgoing.set(HeaderNames.X_FORWARDED_FOR, append(incoming.get(HeaderNames.X_FORWARDED_FOR), remoteIp));
        } else {
            outgoing.set(HeaderNames.X_FORWARDED_FOR, remoteIp);
        }
        if (peerTrusted && incoming.contains(HeaderNames.X_FORWARDED_PROTO)) {
            outgoing.set(incoming.get(HeaderNames.X_FORWARDED_PROTO));
        } else {
            outgoing.set(HeaderNames.X_FORWARDED_PROTO, scheme);
        }
        if (peerTrusted && incoming.contains(HeaderNames.X_FORWARDED_HOST)) {
            outgoing.set(incoming.get(HeaderNames.X_FORWARDED_HOST));
        } else if (host != null && !host.isEmpty()) {
            outgoing.set(HeaderNames.X_FORWARDED_HOST, host);
        } else {
            outgoing.remove(HeaderNames.X_FORWARDED_HOST);
        }
        if (!peerTrusted) {
            outgoing.remove(HeaderNames.FORWARDED);
            outgoing.remove(HeaderNames.X_FORWARDED_PORT);
            outgoing.remove(HeaderNames.X_FORWARDED_PREFIX);
        }
    }

    /**
     * The client's address: the peer itself unless the peer is trusted; then {@code X-Forwarded-For} is walked from
     * the right, past trusted proxies, to the first address that is not trusted. If every listed address is trusted,
     * the left-most one is the client. If the walk meets something that is not an address ({@code unknown},
     * {@code _hidden}), the walk stops and the last address a trusted proxy vouched for is returned, so garbage never
     * becomes a rate-limit key. Ports ({@code 1.2.3.4:5678}, {@code [::1]:80}) and brackets are stripped.
     *
     * @param remoteIp the peer's address as the socket reports it
     * @param incoming the client's request headers
     * @param trusted  the peers whose forwarding headers are believed
     */
    public static String clientIp(String remoteIp, Headers incoming, TrustedProxies trusted) {
        if (!trusted.isTrusted(remoteIp) || !incoming.contains(HeaderNames.X_FORWARDED_FOR)) {
            return remoteIp;
        }
        Header forwardedFor = incoming.get(HeaderNames.X_FORWARDED_FOR);
        int count = forwardedFor.valueCount();
        List<String> values = count == 1 ? null : forwardedFor.allValues();
        // the nearest address vouched for so far, kept as a region to avoid a substring per hop
        String nearest = remoteIp;
        int nearestFrom = 0;
        int nearestTo = remoteIp.length();
        for (int v = count - 1; v >= 0; v--) {
            String list = values == null ? forwardedFor.get() : values.get(v);
            int end = list.length();
            while (end >= 0) {
                int comma = lastIndexOf(list, ',', end);
                int from = HttpLists.skipWhitespace(list, comma + 1, end);
                int to = HttpLists.trimEnd(list, from, end);
                end = comma;
                if (from == to) {
                    continue;
                }
                long bounds = addressBounds(list, from, to);
                int addressFrom = (int) (bounds >>> 32);
                int addressTo = (int) bounds;
                int verdict = bounds < 0 ? TrustedProxies.NOT_AN_ADDRESS
                        : trusted.classify(list, addressFrom, addressTo);
                if (verdict == TrustedProxies.NOT_AN_ADDRESS) {
                    return nearest.substring(nearestFrom, nearestTo);
                }
                nearest = list;
                nearestFrom = addressFrom;
                nearestTo = addressTo;
                if (verdict == TrustedProxies.UNTRUSTED) {
                    return nearest.substring(nearestFrom, nearestTo);
                }
            }
        }
        return nearest.substring(nearestFrom, nearestTo);
    }

    /** The incoming chain (all headers, in order, blank ones dropped) with {@code remoteIp} appended. */
    private static String append(Header forwardedFor, String remoteIp) {
        int count = forwardedFor.valueCount();
        if (count == 1) {
            String chain = forwardedFor.get();
            int from = HttpLists.skipWhitespace(chain, 0, chain.length());
            int to = HttpLists.trimEnd(chain, from, chain.length());
            if (from == to) {
                return remoteIp;
            }
            return new StringBuilder(to - from + 2 + remoteIp.length())
                    .append(chain, from, to).append(", ").append(remoteIp).toString();
        }
        StringBuilder joined = new StringBuilder(64);
        for (String chain : forwardedFor.allValues()) {
            int from = HttpLists.skipWhitespace(chain, 0, chain.length());
            int to = HttpLists.trimEnd(chain, from, chain.length());
            if (from < to) {
                joined.append(chain, from, to).append(", ");
            }
        }
        return joined.append(remoteIp).toString();
    }

    /**
     * The address inside one list element, packed as {@code from << 32 | to}, or -1 when the brackets do not close:
     * {@code [v6]} and {@code [v6]:port} lose brackets and port, {@code v4:port} (exactly one colon) loses the port,
     * anything else is taken whole.
     */
    private static long addressBounds(String s, int from, int to) {
        if (s.charAt(from) == '[') {
            int close = HttpLists.indexOf(s, ']', from + 1, to);
            return close == to ? -1 : pack(from + 1, close);
        }
        int colon = HttpLists.indexOf(s, ':', from, to);
        if (colon < to && HttpLists.indexOf(s, ':', colon + 1, to) == to) {
            return pack(from, colon);
        }
        return pack(from, to);
    }

    private static long pack(int from, int to) {
        return ((long) from << 32) | to;
    }

    /** Index of the last {@code c} before {@code end}, or -1. */
    private static int lastIndexOf(String s, char c, int end) {
        for (int i = end - 1; i >= 0; i--) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }
}
