package dev.refgateway.gateway.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Parses and prints durations the way the configuration writes them: {@code 15s}, {@code 250ms}, {@code PT15S}. */
public final class Durations {

    private Durations() {
    }

    public static Optional<Duration> parse(String text) {
        String value = text.trim();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        char first = value.charAt(0);
        if (first == 'P' || first == 'p' || first == '-') {
            try {
                return Optional.of(Duration.parse(value));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        int unitStart = 0;
        while (unitStart < value.length() && value.charAt(unitStart) >= '0' && value.charAt(unitStart) <= '9') {
            unitStart++;
        }
        if (unitStart == 0 || unitStart > 12) {
            return Optional.empty();
        }
        long amount = Long.parseLong(value.substring(0, unitStart));
        return switch (value.substring(unitStart).trim()) {
            case "ms" -> Optional.of(Duration.ofMillis(amount));
            case "s" -> Optional.of(Duration.ofSeconds(amount));
            case "m" -> Optional.of(Duration.ofMinutes(amount));
            case "h" -> Optional.of(Duration.ofHours(amount));
            default -> Optional.empty();
        };
    }

    /** {@code 15s}, {@code 250ms}; ISO-8601 for anything finer than a millisecond. */
    public static String format(Duration duration) {
        if (duration.toNanosPart() % 1_000_000 != 0) {
            return duration.toString();
        }
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
