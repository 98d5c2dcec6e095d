package dev.refgateway.gateway.security;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;
import dev.refgateway.gateway.routing.AuthPolicy;

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
 * @param defaultPolicy see {@link #DEFAULT_POLICY}
 * @param realm         see {@link #REALM}
 * @param apiKeys       accepted API keys; default none
 * @param jwt           how JWTs are checked; empty: no JWT is accepted
 * @param failedAuthLimit how many failed attempts a client address may make; see {@link FailedAuthLimit}
 */
public record SecuritySettings(AuthPolicy defaultPolicy, String realm, List<ApiKey> apiKeys,
                               Optional<JwtSettings> jwt,
                               FailedAuthLimit failedAuthLimit) {

    public static final Option.Choice<AuthPolicy> DEFAULT_POLICY = Option.choice(
            "default-policy", AuthPolicy.PUBLIC, AuthPolicy.class, AuthPolicy::configName,
            "The policy of routes without auth.policy.");
    /** It goes into a quoted-string of {@code WWW-Authenticate} unescaped. */
    public static final Option.Text REALM = Option.text(
            "realm", "refgateway", text -> ApiKey.isAscii(text, 0x20, "\"\\"),
            "visible ASCII without quotes or backslashes", "The realm of WWW-Authenticate challenges.");
    public static final Option.Section API_KEYS = Option.section(
            "api-keys", "list", "Accepted API keys: see gateway.security.api-keys[i].");
    public static final Option.Section JWT = Option.section(
            "jwt", "map", "How JWTs are checked: see gateway.security.jwt; absent: no JWT is accepted.");
    public static final Option.Section FAILED_AUTH_LIMIT = Option.section(
            "failed-auth-limit", "map", "Failed attempts allowed per client address: see "
                    + "gateway.security.failed-auth-limit.");
    public static final Options OPTIONS = Options.of(
            "gateway.security", "The credentials the gateway accepts, and the policy of routes without their own.",
            DEFAULT_POLICY, REALM, API_KEYS, JWT, FAILED_AUTH_LIMIT);

    private static final SecuritySettings DEFAULTS =
            new SecuritySettings(DEFAULT_POLICY.defaultValue(), REALM.defaultValue(), List.of(), Optional.empty());

    /** Settings with the default limit of failed attempts. */
    public SecuritySettings(AuthPolicy defaultPolicy, String realm, List<ApiKey> apiKeys, Optional<JwtSettings> jwt) {
        this(defaultPolicy, realm, apiKeys, jwt, FailedAuthLimit.defaults());
    }

    public SecuritySettings {
        DEFAULT_POLICY.check(defaultPolicy);
        REALM.check(realm);
        Objects.requireNonNull(jwt, "jwt");
        Objects.requireNonNull(failedAuthLimit, "failedAuthLimit");
        apiKeys = List.copyOf(apiKeys);
        Set<String> hashes = new HashSet<>();
        for (ApiKey key : apiKeys) {
            if (!hashes.add(key.sha256())) {
                throw Options.violation(API_KEYS, "two entries with the same sha256, one of them for client \""
                        + key.clientId() + "\"", "one client per key");
            }
        }
        Optional<String> missing = missingCredentials(defaultPolicy, apiKeys, jwt);
        if (missing.isPresent()) {
            throw Options.violation(DEFAULT_POLICY, defaultPolicy.configName(), missing.get());
        }
    }

    /** Every route public; no API keys, no JWT. */
    public static SecuritySettings defaults() {
        return DEFAULTS;
    }

    /**
     * Why a route cannot use {@code policy} with the credentials configured, as the "expected" part of a message;
     * empty when it can.
     */
    public Optional<String> missingCredentials(AuthPolicy policy) {
        return missingCredentials(policy, apiKeys, jwt);
    }

    /** Reads a {@code security} node; every key is optional. */
    public static SecuritySettings read(ConfigNode node) {
        return OPTIONS.build(node, values -> new SecuritySettings(
                values.get(DEFAULT_POLICY), values.get(REALM), apiKeys(values.get(API_KEYS)),
                JwtSettings.read(values.get(JWT)), FailedAuthLimit.read(values.get(FAILED_AUTH_LIMIT))));
    }

    /** Reads a policy name; shared with the routes' {@code auth.policy}. */
    public static AuthPolicy policy(ConfigNode node) {
        return DEFAULT_POLICY.readAt(node);
    }

    /** Reads a list of scopes; shared with the routes' {@code auth.scopes}. */
    public static Set<String> scopes(ConfigNode node) {
        return new LinkedHashSet<>(ApiKey.SCOPES.readAt(node));
    }

    private static List<ApiKey> apiKeys(ConfigNode node) {
        List<ApiKey> keys = new ArrayList<>();
        Map<String, String> keyByHash = new HashMap<>();
        for (ConfigNode element : node.elements("a list of {client-id, sha256, scopes}")) {
            ApiKey key = ApiKey.read(element);
            ConfigNode hashNode = element.get(ApiKey.SHA256.key());
            String previous = keyByHash.putIfAbsent(key.sha256(), hashNode.key());
            if (previous != null) {
                throw hashNode.invalid("(redacted)", "a hash of its own; " + previous + " has it already");
            }
            keys.add(key);
        }
        return keys;
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
}
