package dev.refgateway.e2e.traffic;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Everything a {@link TrafficLoop} sent and got, in the order the answers arrived.
 *
 * @param outcomes one per request
 */
public record TrafficReport(List<Outcome> outcomes) {

    public TrafficReport {
        outcomes = List.copyOf(outcomes);
    }

    public long count(String method) {
        return outcomes.stream().filter(o -> o.method().equals(method)).count();
    }

    public List<Outcome> failures() {
        return outcomes.stream().filter(Outcome::failed).toList();
    }

    /** Requests sent in [from, to) that failed. */
    public List<Outcome> failuresBetween(Instant from, Instant to) {
        return failures().stream().filter(o -> !o.sentAt().isBefore(from) && o.sentAt().isBefore(to)).toList();
    }

    /** The instances that answered requests sent in [from, to) successfully. */
    public Set<String> instancesBetween(Instant from, Instant to) {
        return outcomes.stream()
                .filter(o -> !o.failed() && !o.sentAt().isBefore(from) && o.sentAt().isBefore(to))
                .map(Outcome::instanceId)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The longest time any request sent in [from, to) took; 0 when there was none. */
    public long slowestMillisBetween(Instant from, Instant to) {
        return outcomes.stream()
                .filter(o -> !o.sentAt().isBefore(from) && o.sentAt().isBefore(to))
                .mapToLong(Outcome::millis)
                .max()
                .orElse(0);
    }

    /** For messages: totals per method, then the first failures. */
    public String summary() {
        String totals = outcomes.stream()
                .collect(Collectors.groupingBy(Outcome::method, Collectors.counting()))
                .toString();
        List<Outcome> failures = failures();
        return outcomes.size() + " requests " + totals + ", " + failures.size() + " failed"
                + failures.stream().limit(10).map(o -> "\n  " + o).collect(Collectors.joining());
    }
}
