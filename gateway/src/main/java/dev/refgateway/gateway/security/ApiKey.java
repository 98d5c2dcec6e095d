package dev.refgateway.gateway.security;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;

/**
 * One accepted API key, known only by its SHA-256: the key itself is never configured, so a leaked configuration
 * (or a log line printing it) gives nothing away.
 *
 * <pre>
 * - client-id: demo-client           # required; letters, digits, '.', '_', '-', ':', '@'
 *   sha256: 5e8848...42d8            # required; hex SHA-256 of the key: printf %s "$KEY" | sha256sum
 *   scopes: [users:read, orders:write]   # optional; default none
 * </pre>
 * Keys should be random and long (at least 128 bits, e.g. {@code openssl rand -base64 32}): an unsalted hash of a
 * guessable key can be reversed.
 *
 * @param clientId who the key belongs to; sent to backends and used in logs and metrics
 * @param sha256   the key's SHA-256 as 64 hex digits (stored lower case)
 * @param scopes   what the key may do
 */
public record ApiKey(String clientId, String sha256, Set<String> scopes) {

    public static final Option.Text CLIENT_ID = Option.text(
            "client-id", "", ApiKey::isClientId, "letters, digits, '.', '_', '-', ':' or '@', at most 128",
            "Who the key belongs to: the identity routes and rate limits see.").required("a client id");
    /** Never shown: someone may have pasted the key itself here. */
    public static final Option.Text SHA256 = Option.secret(
            "sha256", ApiKey::isSha256Hex, "64 hex digits, the SHA-256 of the key, never the key itself",
            "The SHA-256 of the key in hex (printf %s \"$KEY\" | sha256sum): the gateway never holds a key.")
            .required("the SHA-256 of the key in hex: printf %s \"$KEY\" | sha256sum");
    public static final Option.Items<String> SCOPES = Option.names(
            "scopes", List.of(), ApiKey::isScope,
            "a scope: visible ASCII without spaces, quotes or backslashes, at most 128", "The key's scopes.");
    public static final Options OPTIONS = Options.of(
            "gateway.security.api-keys[i]", "One accepted API key.", CLIENT_ID, SHA256, SCOPES);

    public ApiKey {
        CLIENT_ID.check(clientId);
        sha256 = SHA256.check(sha256).toLowerCase(Locale.ROOT);
        scopes = Collections.unmodifiableSet(new LinkedHashSet<>(SCOPES.check(List.copyOf(scopes))));
    }

    static ApiKey read(ConfigNode node) {
        return OPTIONS.build(node, values -> new ApiKey(values.get(CLIENT_ID), values.get(SHA256),
                                                        new LinkedHashSet<>(values.get(SCOPES))));
    }

    static boolean isSha256Hex(String text) {
        if (text == null || text.length() != 64) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * An OAuth scope (RFC 6749 §3.3 scope-token): visible ASCII except space, double quote and backslash, at most
     * 128 characters. What passes can go into a header and a {@code WWW-Authenticate} parameter unescaped.
     */
    public static boolean isScope(String text) {
        return isAscii(text, 0x21, "\"\\");
    }

    /** A client id: letters, digits, '.', '_', '-', ':' or '@', at most 128 characters; safe in a header. */
    static boolean isClientId(String text) {
        if (text == null || text.isEmpty() || text.length() > 128) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alphaNumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphaNumeric && ".-_:@".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code text} is 1 to 128 characters from {@code lowest} to '~', none of {@code excluded}: what can go
     * into a quoted-string of {@code WWW-Authenticate} unescaped.
     */
    static boolean isAscii(String text, int lowest, String excluded) {
        if (text == null || text.isEmpty() || text.length() > 128) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < lowest || c > 0x7E || excluded.indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** Names the client and its scopes; the hash stays out of logs too. */
    @Override
    public String toString() {
        return "ApiKey[clientId=" + clientId + ", scopes=" + scopes + ", sha256=(redacted)]";
    }
}
