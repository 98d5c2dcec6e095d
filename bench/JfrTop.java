import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of the gateway under load: where the CPU samples are (self and inclusive), which code
 * they belong to (our code, Helidon, the JDK), and where the allocations come from. JDK only.
 * <pre>
 * java bench/JfrTop.java bench/results/profile/gateway.jfr [top-n]
 * </pre>
 * "Owner" of a sample = the first frame from the top that is not in the JDK (java.*, jdk.*, sun.*): JDK work
 * (HashMap lookups, string building, socket writes) is charged to the library or gateway code that asked for it.
 */
public final class JfrTop {

    private JfrTop() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: java JfrTop.java <recording.jfr> [top-n]");
            System.exit(2);
        }
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Tally self = new Tally();
        Tally inclusive = new Tally();
        Tally ownerClass = new Tally();
        Tally ownerArea = new Tally();
        Tally allocSite = new Tally();
        Tally allocOwner = new Tally();
        Tally allocClass = new Tally();
        long samples = 0;
        long allocBytes = 0;
        long gcs = 0;
        Duration gcPause = Duration.ZERO;
        Instant first = null;
        Instant last = null;

        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            first = first == null || event.getStartTime().isBefore(first) ? event.getStartTime() : first;
            last = last == null || event.getEndTime().isAfter(last) ? event.getEndTime() : last;
            switch (event.getEventType().getName()) {
                case "jdk.ExecutionSample" -> {
                    List<RecordedFrame> frames = javaFrames(event.getStackTrace());
                    if (frames.isEmpty()) {
                        continue;
                    }
                    samples++;
                    self.add(method(frames.getFirst()), 1);
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame frame : frames) {
                        if (seen.add(method(frame))) {
                            inclusive.add(method(frame), 1);
                        }
                    }
                    RecordedFrame owner = owner(frames);
                    ownerClass.add(owner == null ? "(JDK only)" : className(owner), 1);
                    ownerArea.add(area(owner), 1);
                }
                case "jdk.ObjectAllocationSample" -> {
                    List<RecordedFrame> frames = javaFrames(event.getStackTrace());
                    long weight = event.getLong("weight");
                    allocBytes += weight;
                    allocClass.add(event.getClass("objectClass").getName(), weight);
                    if (!frames.isEmpty()) {
                        allocSite.add(method(frames.getFirst()), weight);
                        RecordedFrame owner = owner(frames);
                        allocOwner.add(owner == null ? "(JDK only)" : method(owner), weight);
                    }
                }
                case "jdk.GarbageCollection" -> {
                    gcs++;
                    gcPause = gcPause.plus(event.getDuration("sumOfPauses"));
                }
                default -> {
                }
            }
        }

        double seconds = first == null ? 1 : Math.max(1, Duration.between(first, last).toMillis() / 1000.0);
        System.out.printf("Recording: %s, %.0f s, %d CPU samples, %.0f MB/s allocated (sampled estimate), "
                        + "%d GCs, %d ms in pauses%n%n", args[0], seconds, samples, allocBytes / seconds / 1e6, gcs,
                gcPause.toMillis());
        ownerArea.print("CPU samples by owner (first non-JDK frame)", samples, top, "%");
        ownerClass.print("CPU samples by owning class", samples, top, "%");
        self.print("Hot methods, self (top frame)", samples, top, "%");
        inclusive.filtered("dev.refgateway.").print("Gateway methods, inclusive (on the stack)", samples, top, "%");
        allocOwner.print("Allocation by owner (first non-JDK frame)", allocBytes, top, "%");
        allocSite.print("Allocation sites (top frame)", allocBytes, top, "%");
        allocClass.print("Allocated classes", allocBytes, top, "%");
    }

    private static List<RecordedFrame> javaFrames(RecordedStackTrace stack) {
        return stack == null ? List.of() : stack.getFrames().stream().filter(RecordedFrame::isJavaFrame).toList();
    }

    private static RecordedFrame owner(List<RecordedFrame> frames) {
        return frames.stream().filter(frame -> !isJdk(className(frame))).findFirst().orElse(null);
    }

    private static boolean isJdk(String className) {
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.");
    }

    /** Our code by package (dev.refgateway.gateway.proxy), Helidon by module (io.helidon.webserver), others. */
    private static String area(RecordedFrame owner) {
        if (owner == null) {
            return "JDK (no library frame on the stack: carrier threads, GC helpers, JIT)";
        }
        String name = className(owner);
        String[] parts = name.split("\\.");
        if (name.startsWith("dev.refgateway.") && parts.length > 4) {
            return "gateway: " + String.join(".", List.of(parts).subList(0, 4));
        }
        if (name.startsWith("io.helidon.") && parts.length > 3) {
            return "Helidon: " + String.join(".", List.of(parts).subList(0, 3));
        }
        return "other: " + String.join(".", List.of(parts).subList(0, Math.min(2, parts.length - 1)));
    }

    private static String className(RecordedFrame frame) {
        return frame.getMethod().getType().getName();
    }

    private static String method(RecordedFrame frame) {
        return className(frame) + "." + frame.getMethod().getName();
    }

    /** Counts (samples or bytes) per key. */
    private static final class Tally {

        private final Map<String, Long> counts = new HashMap<>();

        void add(String key, long amount) {
            counts.merge(key, amount, Long::sum);
        }

        Tally filtered(String prefix) {
            Tally result = new Tally();
            counts.forEach((key, count) -> {
                if (key.startsWith(prefix)) {
                    result.add(key, count);
                }
            });
            return result;
        }

        void print(String title, long total, int top, String unit) {
            System.out.println("## " + title);
            counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                    .limit(top)
                    .forEach(entry -> System.out.printf("%6.1f%s  %s%n",
                            total == 0 ? 0 : 100.0 * entry.getValue() / total, unit, entry.getKey()));
            System.out.println();
        }
    }
}
