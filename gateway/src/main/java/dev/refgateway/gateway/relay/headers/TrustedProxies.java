package dev.refgateway.gateway.relay.headers;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.refgateway.gateway.http1.HttpLists;

/**
 * The peers whose {@code X-Forwarded-*} and {@code Forwarded} headers the gateway believes: a fixed set of IPv4 and
 * IPv6 addresses and CIDR blocks, built once at start-up.
 * <p>
 * Entries are literals such as {@code 10.0.0.0/8}, {@code 192.168.1.7}, {@code ::1/128} or {@code fd00::/8}; an
 * address without a prefix is a single host. Host bits below the prefix are ignored ({@code 10.1.2.3/8} means
 * {@code 10.0.0.0/8}). IPv4-mapped IPv6 addresses ({@code ::ffff:10.0.0.1}) match IPv4 entries, and IPv6 entries
 * inside {@code ::ffff:0:0/96} become IPv4 entries.
 * <p>
 * {@link #isTrusted(String)} never consults DNS: anything that is not an address literal is untrusted. It scans
 * precomputed masks, so it suits the short lists proxies are configured with; the IPv4 path allocates nothing.
 */
public final class TrustedProxies {

    /** {@link #classify} verdict: the text is not an address literal. */
    static final int NOT_AN_ADDRESS = -1;
    /** {@link #classify} verdict: an address outside every entry. */
    static final int UNTRUSTED = 0;
    /** {@link #classify} verdict: an address inside an entry. */
    static final int TRUSTED = 1;

    private static final TrustedProxies NONE = new TrustedProxies(List.of(), new int[0], new int[0],
                                                                   new long[0], new long[0], new long[0], new long[0]);

    private final List<String> entries;
    private final int[] ipv4Networks;
    private final int[] ipv4Masks;
    private final long[] ipv6NetworksHigh;
    private final long[] ipv6NetworksLow;
    private final long[] ipv6MasksHigh;
    private final long[] ipv6MasksLow;

    private TrustedProxies(List<String> entries, int[] ipv4Networks, int[] ipv4Masks, long[] ipv6NetworksHigh,
                           long[] ipv6NetworksLow, long[] ipv6MasksHigh, long[] ipv6MasksLow) {
        this.entries = entries;
        this.ipv4Networks = ipv4Networks;
        this.ipv4Masks = ipv4Masks;
        this.ipv6NetworksHigh = ipv6NetworksHigh;
        this.ipv6NetworksLow = ipv6NetworksLow;
        this.ipv6MasksHigh = ipv6MasksHigh;
        this.ipv6MasksLow = ipv6MasksLow;
    }

    /** Trusts nobody: every client-sent forwarding header is replaced. */
    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * Parses the entries of the configuration key {@code trusted-proxies}.
     *
     * @throws IllegalArgumentException naming the bad entry, e.g.
     *                                  {@code trusted-proxies[1]: "10.0.0.0/33" (expected: ...)}
     */
    public static TrustedProxies create(List<String> entries) {
        return create("trusted-proxies", entries);
    }

    /**
     * Parses {@code entries}, naming {@code configKey} in error messages.
     *
     * @throws IllegalArgumentException naming the full key and the bad entry, e.g.
     *                                  {@code gateway.trusted-proxies[1]: "10.0.0.0/33" (expected: ...)}
     */
    public static TrustedProxies create(String configKey, List<String> entries) {
        Objects.requireNonNull(configKey, "configKey");
        Objects.requireNonNull(entries, configKey);
        if (entries.isEmpty()) {
            return NONE;
        }
        List<Integer> v4Networks = new ArrayList<>();
        List<Integer> v4Masks = new ArrayList<>();
        List<long[]> v6 = new ArrayList<>();
        List<String> normalized = new ArrayList<>();
        for (int index = 0; index < entries.size(); index++) {
            String raw = entries.get(index);
            String entry = raw == null ? "" : raw.strip();
            int slash = entry.indexOf('/');
            int end = slash < 0 ? entry.length() : slash;
            long ipv4 = IpLiterals.parseIpv4(entry, 0, end);
            IpLiterals.Ipv6 ipv6 = ipv4 == IpLiterals.NOT_IPV4 ? IpLiterals.parseIpv6(entry, 0, end) : null;
            if (ipv4 == IpLiterals.NOT_IPV4 && ipv6 == null) {
                throw invalid(configKey, index, raw, "an IPv4 or IPv6 address, optionally with a /prefix");
            }
            int maxPrefix = ipv6 == null ? 32 : 128;
            int prefix = slash < 0 ? maxPrefix : parsePrefix(entry, slash + 1, maxPrefix);
            if (prefix < 0) {
                throw invalid(configKey, index, raw, "a prefix length of 0.." + maxPrefix + " after '/'");
            }
            if (ipv6 != null && ipv6.isIpv4Mapped() && prefix >= 96) {
                ipv4 = ipv6.ipv4();
                prefix -= 96;
                ipv6 = null;
            }
            if (ipv6 == null) {
                int mask = prefix == 0 ? 0 : (int) (0xFFFFFFFFL << (32 - prefix));
                v4Networks.add((int) ipv4 & mask);
                v4Masks.add(mask);
            } else {
                long maskHigh = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
                long maskLow = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
                v6.add(new long[] {ipv6.high() & maskHigh, ipv6.low() & maskLow, maskHigh, maskLow});
            }
            normalized.add(entry);
        }
        return new TrustedProxies(List.copyOf(normalized),
                                  v4Networks.stream().mapToInt(Integer::intValue).toArray(),
                                  v4Masks.stream().mapToInt(Integer::intValue).toArray(),
                                  v6.stream().mapToLong(e -> e[0]).toArray(),
                                  v6.stream().mapToLong(e -> e[1]).toArray(),
                                  v6.stream().mapToLong(e -> e[2]).toArray(),
                                  v6.stream().mapToLong(e -> e[3]).toArray());
    }

    /**
     * Whether {@code ip} — an IPv4 or IPv6 literal as a socket reports it, zone id ({@code %eth0}) allowed — lies
     * inside an entry. {@code null}, host names and anything else that is not a literal are untrusted.
     */
    public boolean isTrusted(String ip) {
        if (ip == null) {
            return false;
        }
        return classify(ip, 0, ip.length()) == TRUSTED;
    }

    /** Whether nobody is trusted. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The entries as configured (trimmed), for admin views and logs. */
    public List<String> entries() {
        return entries;
    }

    @Override
    public String toString() {
        return "TrustedProxies" + entries;
    }

    /**
     * {@link #TRUSTED}, {@link #UNTRUSTED} or {@link #NOT_AN_ADDRESS} for the literal in {@code s[from, to)}; a zone
     * id is ignored.
     */
    int classify(String s, int from, int to) {
        int end = HttpLists.indexOf(s, '%', from, to);
        long ipv4 = IpLiterals.parseIpv4(s, from, end);
        if (ipv4 != IpLiterals.NOT_IPV4) {
            return matchesIpv4((int) ipv4) ? TRUSTED : UNTRUSTED;
        }
        IpLiterals.Ipv6 ipv6 = IpLiterals.parseIpv6(s, from, end);
        if (ipv6 == null) {
            return NOT_AN_ADDRESS;
        }
        if (ipv6.isIpv4Mapped()) {
            return matchesIpv4((int) ipv6.ipv4()) ? TRUSTED : UNTRUSTED;
        }
        return matchesIpv6(ipv6.high(), ipv6.low()) ? TRUSTED : UNTRUSTED;
    }

    private boolean matchesIpv4(int address) {
        for (int i = 0; i < ipv4Networks.length; i++) {
            if ((address & ipv4Masks[i]) == ipv4Networks[i]) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesIpv6(long high, long low) {
        for (int i = 0; i < ipv6NetworksHigh.length; i++) {
            if ((high & ipv6MasksHigh[i]) == ipv6NetworksHigh[i] && (low & ipv6MasksLow[i]) == ipv6NetworksLow[i]) {
                return true;
            }
        }
        return false;
    }

    /** The prefix length in {@code s[from..]}, or -1 when it is not 1–3 digits within {@code 0..max}. */
    private static int parsePrefix(String s, int from, int max) {
        int length = s.length() - from;
        if (length < 1 || length > 3) {
            return -1;
        }
        int prefix = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            prefix = prefix * 10 + (c - '0');
        }
        return prefix <= max ? prefix : -1;
    }

    private static IllegalArgumentException invalid(String configKey, int index, String entry, String expected) {
        String shown = entry == null ? "null" : "\"" + entry + "\"";
        return new IllegalArgumentException(configKey + "[" + index + "]: " + shown + " (expected: " + expected + ")");
    }
}
