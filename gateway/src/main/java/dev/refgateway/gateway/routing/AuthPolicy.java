package dev.refgateway.gateway.routing;

import java.util.Locale;
import java.util.Optional;

/** Which credentials a route accepts. */
public enum AuthPolicy {
    /** Anyone; credentials are not looked at. */
    PUBLIC("public"),
    /** An API key, as {@code X-API-Key} or {@code Authorization: Bearer}. */
    API_KEY("api-key"),
    /** A signed JWT as {@code Authorization: Bearer}. */
    JWT("jwt"),
    /** Either an API key or a JWT. */
    ANY_OF("any-of");

    private final String configName;

    AuthPolicy(String configName) {
        this.configName = configName;
    }

    /** The name used in configuration: {@code public}, {@code api-key}, {@code jwt}, {@code any-of}. */
    public String configName() {
        return configName;
    }

    /** Whether the policy accepts API keys. */
    public boolean acceptsApiKeys() {
        return this == API_KEY || this == ANY_OF;
    }

    /** Whether the policy accepts JWTs. */
    public boolean acceptsJwt() {
        return this == JWT || this == ANY_OF;
    }

    /** The policy with this configuration name (case-insensitive), if any. */
    public static Optional<AuthPolicy> fromConfigName(String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        for (AuthPolicy policy : values()) {
            if (policy.configName.equals(lower)) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }
}
