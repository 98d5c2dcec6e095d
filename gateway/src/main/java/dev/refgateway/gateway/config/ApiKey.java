package dev.refgateway.gateway.config;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

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

    public ApiKey {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(scopes, "scopes");
        if (!Check.isClientId(clientId)) {
            throw new IllegalArgumentException("clientId: \"" + clientId + "\" (expected: letters, digits, '.', '_', "
                    + "'-', ':' or '@', at most 128)");
        }
        if (!isSha256Hex(sha256)) {
            // Never shown: someone may have pasted the key itself here.
            throw new IllegalArgumentException("sha256: (redacted) (expected: 64 hex digits)");
        }
        sha256 = sha256.toLowerCase(Locale.ROOT);
        for (String scope : scopes) {
            if (!Check.isScope(scope)) {
                throw new IllegalArgumentException("scopes: \"" + scope + "\" (expected: a scope: visible ASCII "
                        + "without spaces, quotes or backslashes)");
            }
        }
        scopes = Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
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

    /** Names the client and its scopes; the hash stays out of logs too. */
    @Override
    public String toString() {
        return "ApiKey[clientId=" + clientId + ", scopes=" + scopes + ", sha256=(redacted)]";
    }
}
