package dev.refgateway.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;


/**
 * Finds the client of a presented API key. The key is hashed at once and only the hash is compared, with
 * {@link MessageDigest#isEqual} against every configured hash (no early exit), so the time taken says nothing about
 * which key, or how much of a hash, matched.
 */
final class ApiKeyAuthenticator {

    private final byte[][] hashes;
    private final Identity[] identities;

    ApiKeyAuthenticator(List<ApiKey> keys) {
        this.hashes = new byte[keys.size()][];
        this.identities = new Identity[keys.size()];
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < keys.size(); i++) {
            ApiKey key = keys.get(i);
            hashes[i] = hex.parseHex(key.sha256());
            identities[i] = Identity.apiKey(key.clientId(), key.scopes());
        }
    }

    /** The identity of the key's client, or null when no configured key has this hash. */
    Identity find(String presentedKey) {
        byte[] digest = sha256(presentedKey);
        Identity match = null;
        for (int i = 0; i < hashes.length; i++) {
            if (MessageDigest.isEqual(hashes[i], digest)) {
                match = identities[i];
            }
        }
        return match;
    }

    int size() {
        return hashes.length;
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKeyAuthenticator[" + hashes.length + " key(s)]";
    }
}
