package dev.refgateway.gateway.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The option table of one section of the configuration ({@code gateway.limits}, a route's {@code retry}, ...): the
 * options the section has, read together. Unknown keys are refused with the closest known one suggested; every
 * option is read and checked by its own declaration ({@link Option}); rules between two options (a maximum at least
 * its minimum) are checked once, by the settings record's constructor ({@link #atLeast}), and reported against the
 * key that was set. The tables are also what {@code docs/configuration.md} is generated from.
 */
public final class Options {

    private final String section;
    private final String summary;
    private final List<Option<?>> options;
    private final Set<String> keys;

    private Options(String section, String summary, List<Option<?>> options) {
        this.section = section;
        this.summary = summary;
        this.options = List.copyOf(options);
        Set<String> all = new LinkedHashSet<>();
        for (Option<?> option : options) {
            if (!all.add(option.key())) {
                throw new IllegalArgumentException(section + ": " + option.key() + " declared twice");
            }
        }
        this.keys = Set.copyOf(all);
    }

    /**
     * @param section where the section is, as the reference names it ({@code gateway.limits},
     *                {@code gateway.routes[i].retry})
     * @param summary one sentence on what the section is for
     */
    public static Options of(String section, String summary, Option<?>... options) {
        return new Options(section, summary, List.of(options));
    }

    public String section() {
        return section;
    }

    public String summary() {
        return summary;
    }

    public List<Option<?>> options() {
        return options;
    }

    /** Reads the section: unknown keys refused, every option read (its default when absent). */
    public Values read(ConfigNode node) {
        checkKeys(node);
        return readShared(node);
    }

    /** Refuses keys the table does not have, with the closest known one suggested. */
    public void checkKeys(ConfigNode node) {
        node.allowOnly(keys);
    }

    /**
     * Reads the options of a section whose other keys another table owns (a route holds its policy's keys and many
     * more): no unknown-key check here, the owner does it.
     */
    public Values readShared(ConfigNode node) {
        Map<Option<?>, Object> values = new HashMap<>();
        for (Option<?> option : options) {
            values.put(option, option.read(node));
        }
        return new Values(node, values);
    }

    /**
     * Reads the section and builds its settings; a rule between two options that the constructor finds broken is
     * reported against the full key of the option that was set ({@code gateway.outlier.max-ejection: "10s"
     * (expected: >= base-ejection 30s)}).
     */
    public <T> T build(ConfigNode node, Function<Values, T> constructor) {
        return build(read(node), constructor);
    }

    /** Builds settings from values read before, reporting a broken rule between two options as {@link #build} does. */
    public static <T> T build(Values values, Function<Values, T> constructor) {
        try {
            return constructor.apply(values);
        } catch (RuleViolation violation) {
            throw violation.inConfiguration(values.node);
        }
    }

    /**
     * A rule between two options: {@code larger} at least {@code smaller}; {@code larger} is blamed when broken
     * (or {@code smaller}, when only it was set).
     *
     * @throws IllegalArgumentException in the form {@code backoffMax: PT0S (expected: >= backoffBase PT1S)}
     */
    public static void atLeast(Option.Time larger, Duration largerValue, Option.Time smaller, Duration smallerValue) {
        if (largerValue.compareTo(smallerValue) < 0) {
            throw new RuleViolation(larger, largerValue, ">= %s", List.of(smaller), smallerValue,
                                    new RuleViolation(smaller, smallerValue, "<= %s", List.of(larger), largerValue,
                                                      null));
        }
    }

    /**
     * A rule between two options: {@code smaller} at most {@code larger}; {@code smaller} is blamed when broken (or
     * {@code larger}, when only it was set).
     *
     * @throws IllegalArgumentException in the form {@code perTryTimeout: PT20S (expected: <= timeout 15s)}
     */
    public static void atMost(Option.Time smaller, Duration smallerValue, Option.Time larger, Duration largerValue) {
        if (smallerValue.compareTo(largerValue) > 0) {
            throw new RuleViolation(smaller, smallerValue, "<= %s", List.of(larger), largerValue,
                                    new RuleViolation(larger, largerValue, ">= %s", List.of(smaller), smallerValue,
                                                      null));
        }
    }

    /** As {@link #atMost}, but {@code smaller} must be strictly less than {@code larger}. */
    public static void below(Option.Time smaller, Duration smallerValue, Option.Time larger, Duration largerValue) {
        if (smallerValue.compareTo(largerValue) >= 0) {
            throw new RuleViolation(smaller, smallerValue, "< %s", List.of(larger), largerValue,
                                    new RuleViolation(larger, largerValue, "> %s", List.of(smaller), smallerValue,
                                                      null));
        }
    }

    /**
     * A broken rule that involves other options, for a settings record's constructor to throw: the message names
     * {@code blamed} and, for each {@code %s} in {@code expected}, an option of {@code mentioned}, by their record
     * component names in code ({@code allowOrigins: "*" (expected: exact origins when allowCredentials is true)})
     * and, through {@link #build}, by their full keys. {@code shown} is shown as it is (quote a value yourself), so
     * that a secret or a key's text never reaches a message.
     */
    public static IllegalArgumentException violation(Option<?> blamed, String shown, String expected,
                                                     Option<?>... mentioned) {
        return new RuleViolation(blamed, new Shown(shown), expected, List.of(mentioned), null, null);
    }

    /** The values read from one section. */
    public static final class Values {
        private final ConfigNode node;
        private final Map<Option<?>, Object> values;

        private Values(ConfigNode node, Map<Option<?>, Object> values) {
            this.node = node;
            this.values = values;
        }

        @SuppressWarnings("unchecked")
        public <T> T get(Option<T> option) {
            if (!values.containsKey(option)) {
                throw new IllegalArgumentException(option.key() + " is not an option of this section");
            }
            return (T) values.get(option);
        }

        /** The value the section sets, or {@code inherited} when it sets none (a route inheriting the defaults). */
        public <T> T getOr(Option<T> option, T inherited) {
            return isSet(option) ? get(option) : inherited;
        }

        /** Whether the section sets {@code option} itself (rather than taking its default). */
        public boolean isSet(Option<?> option) {
            return node.get(option.key()).exists();
        }

        /** The section's node, for what the table does not cover (nested sections, lists of maps). */
        public ConfigNode node() {
            return node;
        }
    }

    /** A broken rule between options, reported in code terms or, by {@link #build}, in configuration terms. */
    static final class RuleViolation extends IllegalArgumentException {
        private final transient Option<?> blamed;
        private final transient Object value;
        private final String expected;
        private final transient List<Option<?>> mentioned;
        private final transient Object bound;
        private final transient RuleViolation otherwise;

        /**
         * @param bound     the other option's value, shown after the expectation ({@code >= backoffBase PT1S}); may
         *                  be null
         * @param otherwise what to report instead when {@code blamed} was not set in the section but the other was
         */
        RuleViolation(Option<?> blamed, Object value, String expected, List<Option<?>> mentioned, Object bound,
                      RuleViolation otherwise) {
            super(blamed.componentName() + ": " + shown(value, false) + " (expected: "
                          + expected.formatted(mentioned.stream().map(Option::componentName).toArray())
                          + (bound == null ? "" : " " + plain(bound, false)) + ")");
            this.blamed = blamed;
            this.value = value;
            this.expected = expected;
            this.mentioned = mentioned;
            this.bound = bound;
            this.otherwise = otherwise;
        }

        ConfigException inConfiguration(ConfigNode section) {
            ConfigNode node = section.get(blamed.key());
            if (otherwise != null && !node.exists() && section.get(otherwise.blamed.key()).exists()) {
                return otherwise.inConfiguration(section);
            }
            // a value as the file has it, unless its owner reads it by hand (it may be long, or secret): then as
            // the constructor showed it
            String shown = !(blamed instanceof Option.Section) && node.exists() && !node.isMap() && !node.isList()
                    ? ConfigNode.quote(node.text().orElse("")) : shown(value, true);
            // a bound's option is in the same few lines of the file: its key alone says which; a condition's gets
            // its full key, as it reads like a sentence about the configuration
            return node.invalid(shown, expected.formatted(
                    mentioned.stream().map(option -> bound == null ? section.get(option.key()).key() : option.key())
                            .toArray())
                    + (bound == null ? "" : " " + plain(bound, true)));
        }

        private static String shown(Object value, boolean configuration) {
            String plain = plain(value, configuration);
            return configuration && value instanceof Duration ? ConfigNode.quote(plain) : plain;
        }

        // durations as the configuration writes them (15s) or as Duration prints them (PT15S)
        private static String plain(Object value, boolean configuration) {
            return configuration && value instanceof Duration duration ? Durations.format(duration)
                    : String.valueOf(value);
        }
    }

    /** Text a message shows as it is. */
    private record Shown(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** Every option of every table given, for the reference. */
    static List<Option<?>> all(List<Options> tables) {
        List<Option<?>> all = new ArrayList<>();
        for (Options table : tables) {
            all.addAll(table.options);
        }
        return all;
    }
}
