package dev.refgateway.gateway.security;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import dev.refgateway.gateway.routing.AuthPolicy;
import dev.refgateway.gateway.routing.Route;

import io.helidon.http.Method;

import org.junit.jupiter.api.Test;

import static dev.refgateway.gateway.security.Requests.READER_KEY;
import static dev.refgateway.gateway.security.Requests.apiKey;
import static dev.refgateway.gateway.security.Requests.bearer;
import static dev.refgateway.gateway.security.Requests.headers;
import static org.assertj.core.api.Assertions.assertThat;

/** No key, secret or token ever shows in a toString, a decision or a log line. */
class RedactionTest {

    private static final String DEV_SECRET = "the-development-secret-0123456789";

    @Test
    void settingsNeverPrintKeysHashesOrSecrets() {
        SecuritySettings settings = new SecuritySettings(
                AuthPolicy.API_KEY, "refgateway", List.of(apiKey("reader-app", READER_KEY, "users:read")),
                Optional.of(new JwtSettings(Tokens.ISSUER, Set.of(), new JwtSettings.DevelopmentSecret(DEV_SECRET),
                                            new LinkedHashSet<>(JwtSettings.ALGORITHMS.defaultValue()), JwtSettings.CLOCK_SKEW.defaultValue())));

        String text = settings.toString();

        assertThat(text).contains("reader-app", "users:read", "(redacted)")
                .doesNotContain(READER_KEY, Requests.sha256Hex(READER_KEY), DEV_SECRET);
    }

    @Test
    void decisionsIdentitiesAndCredentialsNeverPrintTheCredential() {
        String token = Tokens.rs256(Tokens.RSA, Tokens.claims().build());
        try (RouteGuard guard = RouteGuard.create(new SecuritySettings(
                AuthPolicy.PUBLIC, "refgateway", List.of(apiKey("reader-app", READER_KEY, "users:read")),
                Optional.of(JwtAuthenticationTest.staticRsaSettings())), Clock.fixed(Tokens.NOW, ZoneOffset.UTC))) {
            Route anyOf = Requests.route(AuthPolicy.ANY_OF);
            List<Object> printed = new ArrayList<>();
            printed.add(guard);
            printed.add(guard.check(anyOf, Method.GET, headers("X-API-Key", READER_KEY)));
            printed.add(guard.check(anyOf, Method.GET, bearer(READER_KEY + "x")));
            printed.add(guard.check(anyOf, Method.GET, bearer(token)));
            printed.add(guard.check(anyOf, Method.GET, bearer(token + "x")));
            printed.add(Credentials.read(bearer(token), true));
            printed.add(Credentials.read(headers("X-API-Key", READER_KEY), true));

            for (Object object : printed) {
                assertThat(object.toString()).doesNotContain(READER_KEY, token, token.substring(0, 20),
                                                             token.substring(token.lastIndexOf('.') + 1));
            }
        }
    }

    @Test
    void noLogLineContainsAKeyOrToken() {
        Logger logger = Logger.getLogger("dev.refgateway.gateway.security");
        List<String> lines = new ArrayList<>();
        SimpleFormatter formatter = new SimpleFormatter();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(formatter.format(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level previous = logger.getLevel();
        logger.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        logger.addHandler(capture);
        String token = Tokens.rs256(Tokens.RSA, Tokens.claims().build());
        try (RouteGuard guard = RouteGuard.create(new SecuritySettings(
                AuthPolicy.PUBLIC, "refgateway", List.of(apiKey("reader-app", READER_KEY, "users:read")),
                Optional.of(new JwtSettings(Tokens.ISSUER, Set.of(), new JwtSettings.DevelopmentSecret(DEV_SECRET),
                                            new LinkedHashSet<>(JwtSettings.ALGORITHMS.defaultValue()), JwtSettings.CLOCK_SKEW.defaultValue()))))) {
            Route anyOf = Requests.route(AuthPolicy.ANY_OF);
            guard.check(anyOf, Method.GET, headers("X-API-Key", READER_KEY));
            guard.check(anyOf, Method.GET, bearer(READER_KEY + "x"));
            guard.check(anyOf, Method.GET, bearer(token));
            guard.check(anyOf, Method.GET, bearer("eyJ" + token.substring(3, 40) + ".x.y"));
        } finally {
            logger.removeHandler(capture);
            logger.setLevel(previous);
        }

        assertThat(lines).anyMatch(line -> line.contains("HS256")); // the development warning was logged
        assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain(
                READER_KEY, DEV_SECRET, token.substring(0, 30), Requests.sha256Hex(READER_KEY)));
    }
}
