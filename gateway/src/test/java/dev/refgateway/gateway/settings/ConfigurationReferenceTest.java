package dev.refgateway.gateway.settings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.refgateway.gateway.config.ConfigNode;
import dev.refgateway.gateway.config.Option;
import dev.refgateway.gateway.config.Options;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration reference is written from the option tables, and the shipped {@code application.yaml} agrees
 * with them: it names every key (commented out where the section is optional) and states every default it sets.
 * {@code make config-reference} rewrites {@code docs/configuration.md}.
 */
class ConfigurationReferenceTest {

    private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");
    private static final Pattern KEY_LINE = Pattern.compile("^( *)(# *)?([a-z][a-z0-9_-]*):(?: |$)");

    @Test
    void docsConfigurationMdIsWhatTheTablesSay() throws IOException {
        String written = ConfigurationReference.markdown();
        if (Boolean.getBoolean("update.reference")) {
            Files.writeString(REFERENCE, written);
        }
        assertThat(Files.readString(REFERENCE))
                .as("docs/configuration.md is out of date: make config-reference")
                .isEqualTo(written);
    }

    @Test
    void everyKeyOfEveryFixedSectionIsNamedInApplicationYaml() throws IOException {
        Set<String> named = keyPaths(shippedYaml());
        List<String> missing = new ArrayList<>();
        for (Options table : ConfigurationReference.tables()) {
            if (table.section().contains("[i]")) {
                continue;
            }
            for (Option<?> option : table.options()) {
                String path = table.section() + "." + option.key();
                if (!named.contains(path)) {
                    missing.add(path);
                }
            }
        }
        assertThat(missing).as("keys application.yaml does not name").isEmpty();
    }

    @Test
    void everyKeyOfARouteIsExplainedInApplicationYamlsComments() throws IOException {
        String comments = String.join("\n", shippedYaml().lines().filter(line -> line.strip().startsWith("#"))
                .toList());
        List<String> missing = new ArrayList<>();
        for (Options table : ConfigurationReference.tables()) {
            if (!table.section().contains("[i]")) {
                continue;
            }
            for (Option<?> option : table.options()) {
                if (!Pattern.compile("(?<![\\w-])" + Pattern.quote(option.key()) + "(?![\\w-])").matcher(comments)
                        .find()) {
                    missing.add(table.section() + "." + option.key());
                }
            }
        }
        assertThat(missing).as("route-level keys application.yaml's comments do not explain").isEmpty();
    }

    @Test
    void everyValueApplicationYamlSetsIsTheDefault() throws IOException {
        Config shipped = Config.just(ConfigSources.create(shippedYaml(), MediaTypes.APPLICATION_X_YAML));
        List<String> differing = new ArrayList<>();
        for (Options table : ConfigurationReference.tables()) {
            if (table.section().contains("[i]")) {
                continue;
            }
            ConfigNode section = ConfigNode.of(shipped.get(table.section()));
            for (Option<?> option : table.options()) {
                if (option instanceof Option.Section || !section.get(option.key()).exists()) {
                    continue;
                }
                Object value = option.read(section);
                if (!Objects.equals(value, option.defaultValue())) {
                    differing.add(table.section() + "." + option.key() + ": " + value + " (default "
                                          + option.defaultValue() + ")");
                }
            }
        }
        assertThat(differing).as("application.yaml shows the defaults; these differ").isEmpty();
    }

    @Test
    void theKeyScannerFollowsCommentedOutSections() {
        Set<String> paths = keyPaths("""
                gateway:
                  security:
                    realm: x
                    # jwt:
                    #   issuer: https://id
                  # cors:
                  #   max-age: 1h
                admin:
                  # token: ...
                """);

        assertThat(paths).contains("gateway.security.realm", "gateway.security.jwt.issuer", "gateway.cors.max-age",
                                   "admin.token");
    }

    /**
     * The key paths a YAML text names, those in commented-out lines included ({@code # jwt:} then
     * {@code #   issuer:}): a commented key is indented as if its "# " were not there.
     */
    private static Set<String> keyPaths(String yaml) {
        Set<String> paths = new LinkedHashSet<>();
        Deque<String[]> open = new ArrayDeque<>();
        for (String line : yaml.lines().toList()) {
            Matcher key = KEY_LINE.matcher(line);
            if (!key.find()) {
                continue;
            }
            int column = key.start(3) - (key.group(2) == null ? 0 : 2);
            while (!open.isEmpty() && Integer.parseInt(open.peek()[0]) >= column) {
                open.pop();
            }
            open.push(new String[] {String.valueOf(column), key.group(3)});
            List<String> names = new ArrayList<>();
            open.descendingIterator().forEachRemaining(entry -> names.add(entry[1]));
            paths.add(String.join(".", names));
        }
        return paths;
    }

    private static String shippedYaml() throws IOException {
        try (InputStream in = ConfigurationReferenceTest.class.getResourceAsStream("/application.yaml")) {
            return new String(Objects.requireNonNull(in, "application.yaml").readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
