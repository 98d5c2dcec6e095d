package dev.refgateway.gateway.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.refgateway.gateway.routing.AuthPolicy;

import io.helidon.config.Config;

/**
 * The credentials the gateway accepts, and the policy of routes that do not name their own.
 *
 * <pre>
 * security:
 *   default-policy: public          # public | api-key | jwt | any-of, for routes without auth.policy
 *   realm: refgateway               # the realm of WWW-Authenticate challenges
 *   api-keys:                       # see ApiKey
 *     - client-id: demo-client
 *       sha256: 5e8848...42d8
 *       scopes: [users:read]
 *   jwt: {...}                      # see JwtSettings; absent: no JWT accepted
 * </pre>
 *
 * @param defaultPolicy policy of routes without {@code auth.policy}; default {@link AuthPolicy#PUBLIC}
 * @param realm         realm of {@code WWW-Authenticate} challenges; default {@code refgateway}
 * @param apiKeys       accepted API keys; default none
 * @param jwt           how JWTs are checked; empty: no JWT is accepted
 * @param failedAuthLimit how many failed attempts a client address may make; see {@link FailedAuthLimit}
 */
public record SecuritySettings(AuthPolicy defaultPolicy, String realm, List<ApiKey> apiKeys,
                               Optional<JwtSettings> jwt,
                               FailedAuthLimit failedAuthLimit) {

    /** Default of {@link #realm()}. */
    public static final String DEFAULT_REALM = "refgateway";

    private static final Set<String> KEYS = Set.of("default-policy", "realm", "api-keys", "jwt",
                                                   "failed-auth-limit");
    private static final Set<String> API_KEY_KEYS = Set.of("client-id", "sha256", "scopes");
    private static final SecuritySettings DEFAULTS =
            new SecuritySettings(AuthPolicy.PUBLIC, DEFAULT_REALM, List.of(), Optional.empty());

    /** Settings with the default limit of failed attempts. */
    public SecuritySettings(AuthPolicy defaultPolicy, String realm, List<ApiKey> apiKeys, Optional<JwtSettings> jwt) {
        this(defaultPolicy, realm, apiKeys, jwt, FailedAuthLimit.defaults());
    }

    public SecuritySettings {
        Objects.requireNonNull(defaultPolicy, "defaultPolicy");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(apiKeys, "apiKeys");
        Objects.requireNonNull(jwt, "jwt");
        Objects.requireNonNull(failedAuthLimit, "failedAuthLimit");
        if (!isRealm(realm)) {
            throw new IllegalArgumentException("realm: \"" + realm + "\" (expected: visible ASCII without quotes or "
                    + "backslashes)");
        }
        apiKeys = List.copyOf(apiKeys);
        Set<String> hashes = new HashSet<>();
        for (ApiKey key : apiKeys) {
            if (!hashes.add(key.sha256())) {
                throw new IllegalArgumentException("apiKeys: two entries with the same sha256, one of them for client "
                        + "\"" + key.clientId() + "\" (expected: one client per key)");
            }
        }
        Optional<String> missing = missingCredentials(defaultPolicy, apiKeys, jwt);
        if (missing.isPresent()) {
            throw new IllegalArgumentException("defaultPolicy: " + defaultPolicy.configName() + " (expected: "
                    + missing.get() + ")");
        }
    }

    /** Every route public; no API keys, no JWT. */
    public static SecuritySettings defaults() {
        return DEFAULTS;
    }

    /** Reads a {@code security} node; every key is optional. */
    public static SecuritySettings create(Config security) {
        return read(ConfigNode.of(security));
    }

    /**
     * Why a route cannot use {@code policy} with the credentials configured, as the "expected" part of a message;
     * empty when it can.
     */
    public Optional<String> missingCredentials(AuthPolicy policy) {
        return missingCredentials(policy, apiKeys, jwt);
    }

    static SecuritySettings read(ConfigNode node) {
        node.allowOnly(KEYS);
        ConfigNode realmNode = node.get("realm");
        String realm = realmNode.exists() ? realmNode.requiredText("a realm name") : DEFAULT_REALM;
        if (!isRealm(realm)) {
            throw realmNode.invalid(ConfigNode.quote(realm), "visible ASCII without quotes or backslashes");
        }
        List<ApiKey> apiKeys = apiKeys(node.get("api-keys"));
        Optional<JwtSettings> jwt = JwtSettings.read(node.get("jwt"));
        ConfigNode policyNode = node.get("default-policy");
        AuthPolicy defaultPolicy = policyNode.exists() ? policy(policyNode) : AuthPolicy.PUBLIC;
        Optional<String> missing = missingCredentials(defaultPolicy, apiKeys, jwt);
        if (missing.isPresent()) {
            throw policyNode.invalid(ConfigNode.quote(defaultPolicy.configName()), missing.get());
        }
        return new SecuritySettings(defaultPolicy, realm, apiKeys, jwt,
                                    FailedAuthLimit.read(node.get("failed-auth-limit")));
    }

    /** Reads a policy name; shared with the routes' {@code auth.policy}. */
    static AuthPolicy policy(ConfigNode node) {
        String name = node.requiredText("one of public, api-key, jwt, any-of");
        return AuthPolicy.fromConfigName(name)
                .orElseThrow(() -> node.invalid(ConfigNode.quote(name), "one of public, api-key, jwt, any-of"));
    }

    private static List<ApiKey> apiKeys(ConfigNode node) {
        List<ApiKey> keys = new ArrayList<>();
        Map<String, String> keyByHash = new HashMap<>();
        for (ConfigNode element : node.elements("a list of {client-id, sha256, scopes}")) {
            element.allowOnly(API_KEY_KEYS);
            ConfigNode clientNode = element.get("client-id");
            String clientId = clientNode.requiredText("a client id");
            if (!Check.isClientId(clientId)) {
                throw clientNode.invalid(ConfigNode.quote(clientId), "letters, digits, '.', '_', '-', ':' or '@', at "
                        + "most 128");
            }
            ConfigNode hashNode = element.get("sha256");
            // The value is never shown: a key pasted here by mistake must not end up in a log.
            String hash = hashNode.text().orElseThrow(() -> new ConfigException(
                    hashNode.key() + ": missing (expected: the SHA-256 of the key in hex: printf %s \"$KEY\" | "
                            + "sha256sum)")).trim();
            if (!ApiKey.isSha256Hex(hash)) {
                throw hashNode.invalid("(redacted, " + hash.length() + " characters)", "64 hex digits, the SHA-256 "
                        + "of the key, never the key itself");
            }
            String previous = keyByHash.putIfAbsent(hash.toLowerCase(Locale.ROOT), hashNode.key());
            if (previous != null) {
                throw hashNode.invalid("(redacted)", "a hash of its own; " + previous + " has it already");
            }
            keys.add(new ApiKey(clientId, hash, scopes(element.get("scopes"))));
        }
        return keys;
    }

    /** Reads a list of scopes; shared with the routes' {@code auth.scopes}. */
    static Set<String> scopes(ConfigNode node) {
        Set<String> scopes = new LinkedHashSet<>();
        for (ConfigNode.Value value : node.strings()) {
            if (!Check.isScope(value.text())) {
                throw value.invalid("a scope: visible ASCII without spaces, quotes or backslashes, at most 128");
            }
            scopes.add(value.text());
        }
        return scopes;
    }

    private static Optional<String> missingCredentials(AuthPolicy policy, List<ApiKey> apiKeys,
                                                       Optional<JwtSettings> jwt) {
        return switch (policy) {
            case PUBLIC -> Optional.empty();
            case API_KEY -> apiKeys.isEmpty()
                    ? Optional.of("a policy whose credentials are configured; gateway.security.api-keys is empty")
                    : Optional.empty();
            case JWT -> jwt.isEmpty()
                    ? Optional.of("a policy whose credentials are configured; gateway.security.jwt is not set")
                    : Optional.empty();
            case ANY_OF -> apiKeys.isEmpty() && jwt.isEmpty()
                    ? Optional.of("a policy whose credentials are configured; gateway.security has neither api-keys "
                                  + "nor jwt")
                    : Optional.empty();
        };
    }

    // A realm goes into a quoted-string of WWW-Authenticate unescaped.
    private static boolean isRealm(String realm) {
        if (realm.isEmpty()) {
            return false;
        }
        for (int i = 0; i < realm.length(); i++) {
            char c = realm.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
