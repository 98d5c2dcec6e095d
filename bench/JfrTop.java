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
 * Summarises a JFR recording of the gateway under load: which threads use the CPU, where the CPU samples are (self
 * and inclusive), which code they belong to (our code, Helidon, the JDK), and where allocations come from. JDK only.
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
        // jdk.CPUTimeSample (JDK 25, when enabled) samples CPU time, native and kernel time of Java threads
        // included; jdk.ExecutionSample sees only threads running Java code at the sampling instant.
        Samples cpuTime = new Samples("jdk.CPUTimeSample");
        Samples execution = new Samples("jdk.ExecutionSample");
        Tally allocSite = new Tally();
        Tally allocOwner = new Tally();
        Tally allocClass = new Tally();
        Tally threadLoad = new Tally();
        Tally threadLoadEvents = new Tally();
        long allocSamples = 0;
        long gcs = 0;
        Duration gcPause = Duration.ZERO;
        Instant first = null;
        Instant last = null;

        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            first = first == null || event.getStartTime().isBefore(first) ? event.getStartTime() : first;
            last = last == null || event.getEndTime().isAfter(last) ? event.getEndTime() : last;
            switch (event.getEventType().getName()) {
                case "jdk.CPUTimeSample" -> cpuTime.add(javaFrames(event.getStackTrace()));
                case "jdk.ExecutionSample" -> execution.add(javaFrames(event.getStackTrace()));
                case "jdk.ObjectAllocationSample" -> {
                    // Counted in samples, not by their "weight": with virtual threads a single sample can carry
                    // hundreds of MB of weight (all the thread allocated since its last sample), which drowns out
                    // everything else.
                    List<RecordedFrame> frames = javaFrames(event.getStackTrace());
                    allocSamples++;
                    allocClass.add(event.getClass("objectClass").getName(), 1);
                    if (!frames.isEmpty()) {
                        allocSite.add(method(frames.getFirst()), 1);
                        RecordedFrame owner = owner(frames);
                        allocOwner.add(owner == null ? "(JDK only)" : method(owner), 1);
                    }
                }
                case "jdk.ThreadCPULoad" -> {
                    String thread = event.getThread("eventThread") == null ? "?"
                            : event.getThread("eventThread").getJavaName();
                    // one name per pool: "ForkJoinPool-1-worker-3" -> "ForkJoinPool-1-worker-*"
                    threadLoad.add(thread == null ? "?" : thread.replaceAll("\\d+$", "*"),
                            Math.round(1e6 * (event.getFloat("user") + event.getFloat("system"))));
                    threadLoadEvents.add(String.valueOf(thread), 1);
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
        System.out.printf("Recording: %s, %.0f s; %d CPU-time samples, %d execution samples, %d allocation samples; "
                        + "%d GCs, %d ms in pauses%n%n", java.nio.file.Path.of(args[0]).getFileName(), seconds, cpuTime.count, execution.count,
                allocSamples, gcs, gcPause.toMillis());
        if (!threadLoad.counts.isEmpty()) {
            // jdk.ThreadCPULoad: share of the whole machine per thread, one event per thread and period; the
            // thread that lived longest saw every period
            long periods = threadLoadEvents.counts.values().stream().mapToLong(Long::longValue).max().orElse(1);
            Tally perPeriod = new Tally();
            threadLoad.counts.forEach((name, sum) -> perPeriod.add(name, sum / periods));
            perPeriod.print("CPU by thread (jdk.ThreadCPULoad: % of the CPUs the JVM may run on, mean over the periods; "
                    + "C2 CompilerThread high = the JIT is still compiling)", 1_000_000, top, "%");
        }
        for (Samples samples : List.of(cpuTime, execution)) {
            if (samples.count > 0) {
                samples.print(top);
            }
        }
        allocOwner.print("Allocation samples by owner (first non-JDK frame)", allocSamples, top, "%");
        allocSite.print("Allocation samples by site (top frame)", allocSamples, top, "%");
        allocClass.print("Allocation samples by class", allocSamples, top, "%");
    }

    /** CPU samples of one event type, tallied four ways. */
    private static final class Samples {

        private final String event;
        private final Tally self = new Tally();
        private final Tally inclusive = new Tally();
        private final Tally ownerClass = new Tally();
        private final Tally ownerArea = new Tally();
        private long count;

        Samples(String event) {
            this.event = event;
        }

        void add(List<RecordedFrame> frames) {
            if (frames.isEmpty()) {
                return;
            }
            count++;
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

        void print(int top) {
            String of = " (" + event + ", " + count + " samples)";
            ownerArea.print("CPU by owner: the first non-JDK frame" + of, count, top, "%");
            ownerClass.print("CPU by owning class" + of, count, top, "%");
            self.print("Hot methods, self: the top frame" + of, count, top, "%");
            inclusive.filtered("dev.refgateway.").print("Gateway methods, inclusive: on the stack" + of, count, top,
                    "%");
        }
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
