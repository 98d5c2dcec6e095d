package dev.refgateway.gateway.relay.headers;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.refgateway.gateway.http1.HttpLists;

import com.google.common.net.InetAddresses;

/**
 * The peers whose {@code X-Forwarded-*} and {@code Forwarded} headers the gateway believes: a fixed set of IPv4 and
 * IPv6 addresses and CIDR blocks, built once at start-up.
 * <p>
 * Entries are literals such as {@code 10.0.0.0/8}, {@code 192.168.1.7}, {@code ::1/128} or {@code fd00::/8}; an
 * address without a prefix is a single host. Host bits below the prefix are ignored ({@code 10.1.2.3/8} means
 * {@code 10.0.0.0/8}). IPv4-mapped IPv6 addresses ({@code ::ffff:10.0.0.1}) match IPv4 entries, and IPv6 entries
 * inside {@code ::ffff:0:0/96} become IPv4 entries.
 * <p>
 * {@link #isTrusted(String)} never consults DNS: anything that is not an address literal is untrusted. Literals are
 * read by Guava's {@link InetAddresses#forString}, which never resolves names; leading zeros in IPv4 octets
 * ({@code 010.0.0.1}, octal to some parsers) are refused. Each call compares the address bytes with every entry, so it
 * suits the short lists proxies are configured with.
 */
public final class TrustedProxies {

    /** {@link #classify} verdict: the text is not an address literal. */
    static final int NOT_AN_ADDRESS = -1;
    /** {@link #classify} verdict: an address outside every entry. */
    static final int UNTRUSTED = 0;
    /** {@link #classify} verdict: an address inside an entry. */
    static final int TRUSTED = 1;

    /** The longest literal, {@code ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255}: longer text is not copied. */
    private static final int MAX_LITERAL_LENGTH = 45;

    private static final TrustedProxies NONE = new TrustedProxies(List.of(), new Block[0]);

    private final List<String> entries;
    private final Block[] blocks;

    private TrustedProxies(List<String> entries, Block[] blocks) {
        this.entries = entries;
        this.blocks = blocks;
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
        List<Block> blocks = new ArrayList<>();
        List<String> normalized = new ArrayList<>();
        for (int index = 0; index < entries.size(); index++) {
            String raw = entries.get(index);
            String entry = raw == null ? "" : raw.strip();
            int slash = entry.indexOf('/');
            int end = slash < 0 ? entry.length() : slash;
            byte[] address = parse(entry, 0, end);
            if (address == null) {
                throw invalid(configKey, index, raw, "an IPv4 or IPv6 address, optionally with a /prefix");
            }
            // the text decides the family: Guava hands back an IPv4-mapped address as its four IPv4 bytes
            boolean ipv6 = entry.indexOf(':', 0, end) >= 0;
            int maxPrefix = ipv6 ? 128 : 32;
            int prefix = slash < 0 ? maxPrefix : parsePrefix(entry, slash + 1, maxPrefix);
            if (prefix < 0) {
                throw invalid(configKey, index, raw, "a prefix length of 0.." + maxPrefix + " after '/'");
            }
            blocks.add(ipv6 && address.length == 4 ? mappedBlock(address, prefix) : new Block(address, prefix));
            normalized.add(entry);
        }
        return new TrustedProxies(List.copyOf(normalized), blocks.toArray(Block[]::new));
    }

    /**
     * Whether {@code ip} — an IPv4 or IPv6 literal as a socket reports it, zone id ({@code %eth0}) allowed — lies
     * inside an entry. {@code null}, host names and anything else that is not a literal are untrusted.
     */
    public boolean isTrusted(String ip) {
        if (ip == null || blocks.length == 0) {
            // the usual case, on every request: nobody trusted, nothing to parse
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
        byte[] address = parse(s, from, HttpLists.indexOf(s, '%', from, to));
        if (address == null) {
            return NOT_AN_ADDRESS;
        }
        for (Block block : blocks) {
            if (block.contains(address)) {
                return TRUSTED;
            }
        }
        return UNTRUSTED;
    }

    /**
     * The address {@code s[from, to)} without zone id: 4 bytes for IPv4 and IPv4-mapped IPv6, 16 for other IPv6, or
     * {@code null} when it is not a literal.
     */
    private static byte[] parse(String s, int from, int to) {
        if (to <= from || to - from > MAX_LITERAL_LENGTH) {
            return null;
        }
        for (int i = from; i < to; i++) {
            // Guava reads digits with Character.digit, which also takes Arabic-Indic and fullwidth ones; and it would
            // look up the network interface a zone id names (classify strips the zone id, entries have none)
            if (!isLiteralChar(s.charAt(i))) {
                return null;
            }
        }
        try {
            return InetAddresses.forString(s.substring(from, to)).getAddress();
        } catch (IllegalArgumentException e) {
            // only for hex digits, dots and colons that still make no address, such as 10.0.0.256 or 1::2::3
            return null;
        }
    }

    private static boolean isLiteralChar(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
    }

    /**
     * An entry inside {@code ::ffff:0:0/96} trusts IPv4 addresses. A shorter prefix reaches beyond the mapped range, so
     * the entry stays IPv6; mapped peer addresses are IPv4 to {@link #classify} and never match it.
     */
    private static Block mappedBlock(byte[] ipv4, int prefix) {
        if (prefix >= 96) {
            return new Block(ipv4, prefix - 96);
        }
        byte[] ipv6 = new byte[16];
        ipv6[10] = (byte) 0xFF;
        ipv6[11] = (byte) 0xFF;
        System.arraycopy(ipv4, 0, ipv6, 12, 4);
        return new Block(ipv6, prefix);
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

    /** A CIDR block: the first {@code prefix} bits of {@code network} (4 or 16 bytes); the bits below are ignored. */
    private record Block(byte[] network, int prefix) {

        /** Whether {@code address} is of the same family and agrees with the network in the prefix bits. */
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int wholeBytes = prefix >>> 3;
            for (int i = 0; i < wholeBytes; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int bits = prefix & 7;
            return bits == 0 || ((address[wholeBytes] ^ network[wholeBytes]) & (0xFF00 >>> bits) & 0xFF) == 0;
        }
    }
}
