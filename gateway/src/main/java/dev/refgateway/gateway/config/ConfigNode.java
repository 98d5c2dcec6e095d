package dev.refgateway.gateway.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.helidon.config.Config;

/**
 * A Helidon {@link Config} node plus the key users see in messages ({@code gateway.routes[2].path}). Reads values
 * as text and parses them here, so that every error is a {@link ConfigException} in one format:
 * {@code key: value (expected: ...)}.
 */
public final class ConfigNode {

    // null when the key is missing. A missing child is never asked of Helidon: its Config.get caches every node it
    // is asked for, present or not, so reading each route's few dozen options that way kept ~150 config keys per
    // route alive (10,000 routes: out of heap, minutes to start; bench scale scenario a).
    private final Config config;
    private final String name;
    private final String key;
    private Map<String, Config> children;

    private ConfigNode(Config config, String name, String key) {
        this.config = config;
        this.name = name;
        this.key = key;
    }

    public static ConfigNode of(Config config) {
        return new ConfigNode(config.exists() ? config : null, config.name(), config.key().toString());
    }

    public ConfigNode get(String name) {
        String childKey = key.isEmpty() ? name : key + "." + name;
        Config child = null;
        if (config != null && config.isObject()) {
            child = childMap().get(name);
        } else if (config != null && config.isList()) {
            Config element = config.get(name);
            child = element.exists() ? element : null;
        }
        return new ConfigNode(child, name, childKey);
    }

    public String key() {
        return key;
    }

    public boolean exists() {
        return config != null;
    }

    /** The last segment of the key ({@code scopes} of {@code gateway.routes[0].auth.scopes}). */
    public String name() {
        return name;
    }

    /** Whether the node is a map (YAML object) rather than a value or a list. */
    public boolean isMap() {
        return config != null && config.isObject();
    }

    /** Whether the node is a list. */
    public boolean isList() {
        return config != null && config.isList();
    }

    /** The entries of a map node, in configuration order; empty when the node is missing. */
    public List<ConfigNode> children() {
        if (!isMap()) {
            return List.of();
        }
        List<ConfigNode> nodes = new ArrayList<>();
        for (Config child : childMap().values()) {
            nodes.add(new ConfigNode(child, child.name(), key + "." + child.name()));
        }
        return nodes;
    }

    // The children of a map node by name, in configuration order: one asNodeList, then plain lookups.
    private Map<String, Config> childMap() {
        if (children == null) {
            Map<String, Config> map = new LinkedHashMap<>();
            for (Config child : config.asNodeList().get()) {
                map.put(child.name(), child);
            }
            children = map;
        }
        return children;
    }

    /** The elements of a list node; empty when the node is missing or an empty value. */
    public List<ConfigNode> elements(String expected) {
        if (config == null || (config.isLeaf() && text().orElse("").isBlank())) {
            return List.of();
        }
        if (!config.isList()) {
            throw invalid(config.isObject() ? "(a map)" : quote(text().orElse("")), expected);
        }
        List<Config> children = config.asNodeList().get();
        List<ConfigNode> elements = new ArrayList<>(children.size());
        for (int i = 0; i < children.size(); i++) {
            elements.add(new ConfigNode(children.get(i), children.get(i).name(), key + "[" + i + "]"));
        }
        return elements;
    }

    /**
     * The values of a list of strings. A single value is split at commas, which is how an environment variable
     * can set a list ({@code GATEWAY_PROXY_TRUSTED_DASH_PROXIES=10.0.0.0/8,192.168.0.0/16}). Such a value wins over
     * a YAML list at the same key: Helidon merges both into one node, and only a flat source (environment, system
     * properties) gives a list node a value.
     */
    public List<Value> strings() {
        if (config != null && config.hasValue()) {
            List<Value> values = new ArrayList<>();
            String[] parts = config.asString().get().split(",");
            for (int i = 0; i < parts.length; i++) {
                if (!parts[i].isBlank()) {
                    values.add(new Value(key + "[" + values.size() + "]", parts[i].trim()));
                }
            }
            return values;
        }
        List<Value> values = new ArrayList<>();
        for (ConfigNode element : elements("a list of values")) {
            values.add(new Value(element.key, element.requiredText("a value")));
        }
        return values;
    }

    /** The value as text; empty when missing. */
    public Optional<String> text() {
        if (config == null) {
            return Optional.empty();
        }
        if (!config.isLeaf()) {
            throw invalid(config.isList() ? "(a list)" : "(a map)", "a single value");
        }
        return Optional.of(config.asString().orElse(""));
    }

    public String requiredText(String expected) {
        String text = text().orElseThrow(() -> new ConfigException(key + ": missing (expected: " + expected + ")"));
        if (text.isBlank()) {
            throw invalid(quote(text), expected);
        }
        return text.trim();
    }

    public boolean bool(boolean fallback) {
        Optional<String> text = text();
        if (text.isEmpty()) {
            return fallback;
        }
        String value = text.get().trim().toLowerCase(Locale.ROOT);
        if (value.equals("true")) {
            return true;
        }
        if (value.equals("false")) {
            return false;
        }
        throw invalid(quote(text.get()), "true or false");
    }

    public int intIn(int fallback, int min, int max) {
        Optional<String> text = text();
        if (text.isEmpty()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(text.get().trim());
        } catch (NumberFormatException e) {
            throw invalid(quote(text.get()), "an integer");
        }
        if (value < min || value > max) {
            throw invalid(String.valueOf(value), range(min, max));
        }
        return value;
    }

    public double doubleIn(double fallback, double min, double max) {
        Optional<String> text = text();
        if (text.isEmpty()) {
            return fallback;
        }
        double value;
        try {
            value = Double.parseDouble(text.get().trim());
        } catch (NumberFormatException e) {
            throw invalid(quote(text.get()), "a number");
        }
        if (!(value >= min && value <= max)) {
            throw invalid(text.get().trim(), min + " to " + max);
        }
        return value;
    }

    /** A duration such as {@code 15s}, {@code 250ms}, {@code 2m}, {@code 1h} or ISO-8601 {@code PT15S}. */
    public Duration duration(Duration fallback, Duration min) {
        Optional<String> text = text();
        if (text.isEmpty()) {
            return fallback;
        }
        Duration value = Durations.parse(text.get())
                .orElseThrow(() -> invalid(quote(text.get()), "a duration such as 15s, 250ms or PT15S"));
        if (value.compareTo(min) < 0) {
            throw invalid(quote(text.get()), (min.isZero() ? ">= 0" : ">= " + Durations.format(min)));
        }
        return value;
    }

    /** Rejects keys this node does not know, so that a typo such as {@code servce} fails instead of vanishing. */
    public void allowOnly(Set<String> known) {
        if (config == null) {
            return;
        }
        if (!config.isObject()) {
            throw invalid(config.isList() ? "(a list)" : quote(text().orElse("")), "a map with keys " + sorted(known));
        }
        for (String name : childMap().keySet()) {
            if (!known.contains(name)) {
                String hint = closest(name, known).map(k -> "; did you mean '" + k + "'?").orElse("");
                throw new ConfigException(key + "." + name + ": unknown key (expected: one of " + sorted(known)
                        + hint + ")");
            }
        }
    }

    public ConfigException invalid(String shownValue, String expected) {
        return new ConfigException(key + ": " + shownValue + " (expected: " + expected + ")");
    }

    public static String quote(String text) {
        return "\"" + text + "\"";
    }

    private static String range(int min, int max) {
        return max == Integer.MAX_VALUE ? ">= " + min : min + " to " + max;
    }

    private static String sorted(Set<String> keys) {
        return String.join(", ", keys.stream().sorted().toList());
    }

    // A known key at most two edits away, for the "did you mean" hint.
    private static Optional<String> closest(String name, Set<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : known) {
            int distance = editDistance(name, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** One value of a list, with its key ({@code gateway.routes[0].methods[1]}). */
    public record Value(String key, String text) {
        public ConfigException invalid(String expected) {
            return new ConfigException(key + ": " + quote(text) + " (expected: " + expected + ")");
        }
    }
}
