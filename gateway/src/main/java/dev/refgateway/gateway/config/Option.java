package dev.refgateway.gateway.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One option of the configuration, declared once: its key, type, default, the rule its values obey, and what it
 * does. The same declaration reads the value from a section ({@link #read}: an error names the full key, the value
 * and what was expected), checks a value built in code ({@link #check}: the settings records call it in their
 * constructors, so a rule can never differ between a file and a test), and describes itself for the generated
 * configuration reference ({@code docs/configuration.md}).
 * <p>
 * The record component that holds an option's value has the option's key in camel case ({@code max-attempts} →
 * {@code maxAttempts}); that is the name constructor errors give.
 *
 * @param <T> the value's type
 */
public abstract sealed class Option<T> permits Option.Int, Option.Number, Option.Flag, Option.Time, Option.Text,
        Option.Items, Option.Choice, Option.Parsed, Option.Section {

    private final String key;
    private final T defaultValue;
    private final String description;
    private String missing;
    private String shownDefault;

    private Option(String key, T defaultValue, String description) {
        this.key = Objects.requireNonNull(key, "key");
        this.defaultValue = defaultValue;
        this.description = Objects.requireNonNull(description, "description");
    }

    /** An integer from {@code min} to {@code max}. */
    public static Int integer(String key, int defaultValue, int min, int max, String description) {
        return new Int(key, defaultValue, min, max, description);
    }

    /** A decimal number from {@code min} to {@code max}. */
    public static Number number(String key, double defaultValue, double min, double max, String description) {
        return new Number(key, defaultValue, min, max, description);
    }

    /** {@code true} or {@code false}. */
    public static Flag flag(String key, boolean defaultValue, String description) {
        return new Flag(key, defaultValue, description);
    }

    /** A duration ({@code 250ms}, {@code 15s}, {@code 2m}, {@code 1h} or ISO-8601) of at least {@code min}. */
    public static Time duration(String key, Duration defaultValue, Duration min, String description) {
        return new Time(key, defaultValue, min, null, description);
    }

    /** A duration from {@code min} to {@code max}. */
    public static Time duration(String key, Duration defaultValue, Duration min, Duration max, String description) {
        return new Time(key, defaultValue, min, max, description);
    }

    /** A text value passing {@code valid}; {@code expected} says what passes, in error messages and the reference. */
    public static Text text(String key, String defaultValue, Predicate<String> valid, String expected,
                            String description) {
        return new Text(key, defaultValue, valid, expected, false, description);
    }

    /** A text value that is never shown in a message (a token, a password). */
    public static Text secret(String key, Predicate<String> valid, String expected, String description) {
        return new Text(key, "", valid, expected, true, description);
    }

    /** A list of words, each passing {@code valid}. */
    public static Items<String> names(String key, List<String> defaultValue, Predicate<String> valid, String expected,
                                      String description) {
        return new Items<>(key, List.copyOf(defaultValue), text -> text, valid, expected, description);
    }

    /** One of an enum's constants, each written in the configuration as {@code name} gives it. */
    public static <E extends Enum<E>> Choice<E> choice(String key, E defaultValue, Class<E> type,
                                                       Function<E, String> name, String description) {
        return new Choice<>(key, defaultValue, type, name, description);
    }

    /**
     * A value read by a parser of its own ({@code PathPattern::parse}) that throws an IllegalArgumentException in the
     * form {@code "value" (expected: ...)}; the message gets the full key in front. {@code rule} describes what
     * parses, for the reference.
     */
    public static <T> Parsed<T> parsed(String key, Function<String, T> parser, String rule, String description) {
        return new Parsed<>(key, parser, rule, description);
    }

    /**
     * A key whose value its section's owner reads itself (a nested section, a list of maps, a value with a parser of
     * its own); the table lists it so that it is allowed and documented.
     */
    public static Section section(String key, String type, String description) {
        return new Section(key, type, description);
    }

    /**
     * A list whose elements {@code parser} reads: it returns the element, or throws an IllegalArgumentException whose
     * message says what was expected of this element.
     */
    public static <E> Items<E> list(String key, List<E> defaultValue, Function<String, E> parser, String expected,
                                    String description) {
        return new Items<>(key, List.copyOf(defaultValue), parser, element -> true, expected, description);
    }

    /** A list of integers, each passing {@code valid}. */
    public static Items<Integer> integers(String key, List<Integer> defaultValue, Predicate<Integer> valid,
                                          String expected, String description) {
        return new Items<>(key, List.copyOf(defaultValue), Option::parseInt, valid, expected, description);
    }

    /**
     * Makes the option required (declarations only, in a static initialiser): a section without it is refused with
     * {@code key: missing (expected: <expected>)}.
     */
    @SuppressWarnings("unchecked")
    public final <O extends Option<T>> O required(String expected) {
        this.missing = Objects.requireNonNull(expected, "expected");
        return (O) this;
    }

    /** Shows the default as {@code text} in the reference, for a default that depends on another option. */
    @SuppressWarnings("unchecked")
    public final <O extends Option<T>> O defaultShownAs(String text) {
        this.shownDefault = Objects.requireNonNull(text, "text");
        return (O) this;
    }

    /** Whether a section must set the option. */
    public boolean isRequired() {
        return missing != null;
    }

    /** The key within its section. */
    public String key() {
        return key;
    }

    /** The value when the key is absent. */
    public T defaultValue() {
        return defaultValue;
    }

    /** What the option does, for the reference. */
    public String description() {
        return description;
    }

    /** The kind of value, for the reference. */
    public abstract String type();

    /** The rule values obey, for the reference and for errors ({@code 1 to 10}, {@code >= 100ms}); may be empty. */
    public abstract String rule();

    /** The default as the reference shows it. */
    public final String shownDefault() {
        return missing != null ? "required" : shownDefault != null ? shownDefault : defaultText();
    }

    /** The default as it is written in the configuration. */
    String defaultText() {
        return String.valueOf(defaultValue);
    }

    /** The value under {@link #key()} in {@code section}, or the default when it is absent. */
    public T read(ConfigNode section) {
        ConfigNode node = section.get(key);
        if (node.exists()) {
            return parse(node);
        }
        if (missing != null) {
            throw new ConfigException(node.key() + ": missing (expected: " + missing + ")");
        }
        return defaultValue;
    }

    /** The value at {@code node} itself rather than under the option's key (a list that is a map's entry). */
    public T readAt(ConfigNode node) {
        return node.exists() ? parse(node) : defaultValue;
    }

    /**
     * Checks a value built in code against the option's rule.
     *
     * @return the value
     * @throws IllegalArgumentException in the form {@code maxAttempts: 0 (expected: 1 to 10)}
     */
    public abstract T check(T value);

    abstract T parse(ConfigNode node);

    /** The key in camel case: the name of the record component holding the value. */
    final String componentName() {
        StringBuilder name = new StringBuilder(key.length());
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    private static Integer parseInt(String text) {
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    final IllegalArgumentException invalid(Object value) {
        return new IllegalArgumentException(componentName() + ": " + value + " (expected: " + rule() + ")");
    }

    /** An integer option. */
    public static final class Int extends Option<Integer> {
        private final int min;
        private final int max;

        private Int(String key, int defaultValue, int min, int max, String description) {
            super(key, defaultValue, description);
            this.min = min;
            this.max = max;
        }

        /** The smallest value allowed. */
        public int min() {
            return min;
        }

        @Override
        public String type() {
            return "integer";
        }

        @Override
        public String rule() {
            return max == Integer.MAX_VALUE ? ">= " + min : min + " to " + max;
        }

        @Override
        public Integer check(Integer value) {
            if (value == null || value < min || value > max) {
                throw invalid(value);
            }
            return value;
        }

        @Override
        Integer parse(ConfigNode node) {
            return node.intIn(defaultValue(), min, max);
        }
    }

    /** A decimal number option. */
    public static final class Number extends Option<Double> {
        private final double min;
        private final double max;

        private Number(String key, double defaultValue, double min, double max, String description) {
            super(key, defaultValue, description);
            this.min = min;
            this.max = max;
        }

        @Override
        public String type() {
            return "number";
        }

        @Override
        public String rule() {
            return min + " to " + max;
        }

        @Override
        public Double check(Double value) {
            if (value == null || !(value >= min && value <= max)) {
                throw invalid(value);
            }
            return value;
        }

        @Override
        Double parse(ConfigNode node) {
            return node.doubleIn(defaultValue(), min, max);
        }
    }

    /** A true/false option. */
    public static final class Flag extends Option<Boolean> {
        private Flag(String key, boolean defaultValue, String description) {
            super(key, defaultValue, description);
        }

        @Override
        public String type() {
            return "boolean";
        }

        @Override
        public String rule() {
            return "true or false";
        }

        @Override
        public Boolean check(Boolean value) {
            return Objects.requireNonNull(value, componentName());
        }

        @Override
        Boolean parse(ConfigNode node) {
            return node.bool(defaultValue());
        }
    }

    /** A duration option. */
    public static final class Time extends Option<Duration> {
        private final Duration min;
        private final Duration max;

        private Time(String key, Duration defaultValue, Duration min, Duration max, String description) {
            super(key, defaultValue, description);
            this.min = min;
            this.max = max;
        }

        @Override
        public String type() {
            return "duration";
        }

        @Override
        public String rule() {
            String atLeast = min.isZero() ? ">= 0" : ">= " + Durations.format(min);
            return max == null ? atLeast : Durations.format(min) + " to " + Durations.format(max);
        }

        @Override
        String defaultText() {
            return Durations.format(defaultValue());
        }

        @Override
        public Duration check(Duration value) {
            if (value == null || value.compareTo(min) < 0 || (max != null && value.compareTo(max) > 0)) {
                throw invalid(value);
            }
            return value;
        }

        @Override
        Duration parse(ConfigNode node) {
            Duration value = node.duration(defaultValue(), min);
            if (max != null && value.compareTo(max) > 0) {
                throw node.invalid(ConfigNode.quote(node.text().orElse("")), "<= " + Durations.format(max));
            }
            return value;
        }
    }

    /** A single text value (a header name, an address, a token); a secret one is never shown in messages. */
    public static final class Text extends Option<String> {
        private final Predicate<String> valid;
        private final String expected;
        private final boolean secret;

        private Text(String key, String defaultValue, Predicate<String> valid, String expected, boolean secret,
                     String description) {
            super(key, defaultValue, description);
            this.valid = valid;
            this.expected = expected;
            this.secret = secret;
        }

        @Override
        public String type() {
            return secret ? "secret" : "string";
        }

        @Override
        public String rule() {
            return expected;
        }

        @Override
        String defaultText() {
            return "\"" + defaultValue() + "\"";
        }

        @Override
        public String check(String value) {
            if (value == null || !valid.test(value)) {
                throw new IllegalArgumentException(componentName() + ": " + (secret ? "(redacted)" : "\"" + value
                        + "\"") + " (expected: " + expected + ")");
            }
            return value;
        }

        @Override
        String parse(ConfigNode node) {
            String text = node.text().orElse("").strip();
            if (!valid.test(text)) {
                throw node.invalid(secret ? "(redacted, " + text.length() + " characters)" : ConfigNode.quote(text),
                                   expected);
            }
            return text;
        }
    }

    /**
     * A list option: a YAML list, or one comma-separated value so that an environment variable can set it. Each
     * element is parsed ({@code null}: not of the element type) and must pass the rule.
     *
     * @param <E> the type of an element
     */
    public static final class Items<E> extends Option<List<E>> {
        private final Function<String, E> parser;
        private final Predicate<E> valid;
        private final String expected;

        private Items(String key, List<E> defaultValue, Function<String, E> parser, Predicate<E> valid,
                      String expected, String description) {
            super(key, defaultValue, description);
            this.parser = parser;
            this.valid = valid;
            this.expected = expected;
        }

        @Override
        public String type() {
            return "list";
        }

        @Override
        public String rule() {
            return "each " + expected;
        }

        @Override
        String defaultText() {
            return defaultValue().toString();
        }

        @Override
        public List<E> check(List<E> value) {
            Objects.requireNonNull(value, componentName());
            for (E element : value) {
                if (element == null || !valid.test(element)) {
                    String shown = element instanceof String ? "\"" + element + "\"" : String.valueOf(element);
                    throw new IllegalArgumentException(componentName() + ": " + shown + " (expected: " + expected
                                                               + ")");
                }
            }
            return List.copyOf(value);
        }

        @Override
        List<E> parse(ConfigNode node) {
            List<E> values = new ArrayList<>();
            for (ConfigNode.Value value : node.strings()) {
                E element;
                try {
                    element = parser.apply(value.text());
                } catch (IllegalArgumentException e) {
                    throw value.invalid(e.getMessage());
                }
                if (element == null || !valid.test(element)) {
                    throw value.invalid(expected);
                }
                values.add(element);
            }
            return List.copyOf(values);
        }
    }

    /** One of a fixed set of words, as an enum. */
    public static final class Choice<E extends Enum<E>> extends Option<E> {
        private final Map<String, E> byName = new LinkedHashMap<>();
        private final Function<E, String> name;

        private Choice(String key, E defaultValue, Class<E> type, Function<E, String> name, String description) {
            super(key, defaultValue, description);
            this.name = name;
            for (E constant : type.getEnumConstants()) {
                byName.put(name.apply(constant), constant);
            }
        }

        @Override
        public String type() {
            return "choice";
        }

        @Override
        public String rule() {
            List<String> names = List.copyOf(byName.keySet());
            return names.size() == 2 ? names.get(0) + " or " + names.get(1) : "one of " + String.join(", ", names);
        }

        @Override
        String defaultText() {
            return defaultValue() == null ? "" : name.apply(defaultValue());
        }

        @Override
        public E check(E value) {
            return Objects.requireNonNull(value, componentName());
        }

        @Override
        E parse(ConfigNode node) {
            String text = node.requiredText(rule());
            E value = byName.get(text.toLowerCase(Locale.ROOT));
            if (value == null) {
                throw node.invalid(ConfigNode.quote(text), rule());
            }
            return value;
        }
    }

    /** A key read by its section's owner: the value is the key's node. */
    public static final class Section extends Option<ConfigNode> {
        private final String type;

        private Section(String key, String type, String description) {
            super(key, null, description);
            this.type = type;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public String rule() {
            return "";
        }

        @Override
        String defaultText() {
            return "";
        }

        @Override
        public ConfigNode read(ConfigNode section) {
            return section.get(key());
        }

        @Override
        public ConfigNode check(ConfigNode value) {
            return value;
        }

        @Override
        ConfigNode parse(ConfigNode node) {
            return node;
        }
    }

    /** A value read by a parser of its own. */
    public static final class Parsed<T> extends Option<T> {
        private final Function<String, T> parser;
        private final String rule;

        private Parsed(String key, Function<String, T> parser, String rule, String description) {
            super(key, null, description);
            this.parser = parser;
            this.rule = rule;
        }

        @Override
        public String type() {
            return "string";
        }

        @Override
        public String rule() {
            return rule;
        }

        @Override
        String defaultText() {
            return "";
        }

        @Override
        public T check(T value) {
            return value;
        }

        @Override
        T parse(ConfigNode node) {
            String text = node.requiredText(rule);
            try {
                return parser.apply(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(node.key() + ": " + e.getMessage(), e);
            }
        }
    }
}
