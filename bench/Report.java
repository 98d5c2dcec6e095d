import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Writes {@code results.md} of a benchmark run (to standard output) from the files bench.sh left in the results
 * directory: results.csv (load), events.csv (start-up, propagation, failover) and meta.properties (machine, knobs);
 * and, when bench/lib/scale.sh has written it, the scale curves' section scale/scale.md (Scale.java), its links made
 * relative to the results directory.
 * <pre>
 * java bench/Report.java bench/results > bench/results/results.md
 * </pre>
 */
public final class Report {

    private static final List<String> TARGETS = List.of("direct", "nginx", "nginx-nolog", "haproxy", "floor", "scg",
            "gateway", "gateway-nolog");
    /** The peers issue 12's table sets beside the gateway, in its order; the floor is the one its targets use. */
    private static final List<String> PEERS = List.of("floor", "nginx", "haproxy", "scg");
    private static final List<String> SIZES = List.of("small", "16k", "1m");

    private Report() {
    }

    /** One line of results.csv; a missing number (no proxy for "direct") is NaN. */
    record Row(String target, String size, int connections, double requests, double rps, double p50, double p99,
               double p999, long errors, double proxyCpu, double backendCpu, double rssEnd, double rssPeak,
               double newConnsPer1k, double jitPercent) {

        static Row parse(List<String> header, String line) {
            String[] f = line.split(",", -1);
            Function<String, Double> num = name -> {
                int i = header.indexOf(name);
                String v = i < 0 || i >= f.length ? "" : f[i];
                return v.isEmpty() ? Double.NaN : Double.parseDouble(v);
            };
            return new Row(f[header.indexOf("target")], f[header.indexOf("size")],
                    num.apply("connections").intValue(), num.apply("requests"), num.apply("rps"),
                    num.apply("p50_ms"), num.apply("p99_ms"), num.apply("p999_ms"),
                    num.apply("non2xx").longValue() + num.apply("socket_errors").longValue(),
                    num.apply("proxy_cpu_us_per_req"), num.apply("backend_cpu_us_per_req"),
                    num.apply("rss_end_mib"), num.apply("rss_peak_mib"), num.apply("new_upstream_conns_per_1k"),
                    num.apply("jit_cpu_percent"));
        }
    }

    /** One line of events.csv. */
    record Event(String kind, String target, double value, String unit, String detail) {

        static Event parse(String line) {
            String[] f = line.split(",", 5);
            return new Event(f[0], f[1], Double.parseDouble(f[2]), f[3], f[4].replaceAll("^\"|\"$", ""));
        }
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "bench/results");
        List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
        List<String> header = List.of(lines.getFirst().split(","));
        List<Row> rows = lines.subList(1, lines.size()).stream().map(line -> Row.parse(header, line)).toList();
        Path eventsFile = dir.resolve("events.csv");
        List<Event> events = Files.exists(eventsFile)
                ? Files.readAllLines(eventsFile).stream().skip(1).map(Event::parse).toList() : List.of();
        Properties meta = new Properties();
        try (Reader reader = Files.newBufferedReader(dir.resolve("meta.properties"))) {
            meta.load(reader);
        }
        Path scaleFile = dir.resolve("scale").resolve("scale.md");
        Optional<String> scale = Optional.empty();
        Properties scaleMeta = new Properties();
        if (Files.exists(scaleFile)) {
            // its links (plots, CSV files) point into scale/ from results.md
            scale = Optional.of(Files.readString(scaleFile)
                    .replaceAll("\\]\\((?![a-z]+:|/|#)([^)]*)\\)", "](scale/$1)"));
            Path scaleMetaFile = dir.resolve("scale").resolve("meta.properties");
            if (Files.exists(scaleMetaFile)) {
                try (Reader reader = Files.newBufferedReader(scaleMetaFile)) {
                    scaleMeta.load(reader);
                }
            }
        }
        System.out.print(new Report.Writer(rows, events, meta, scale, scaleMeta).write());
    }

    private static final class Writer {

        private final List<Row> rows;
        private final List<Event> events;
        private final Properties meta;
        private final Optional<String> scale;
        private final Properties scaleMeta;
        private final StringBuilder out = new StringBuilder();

        Writer(List<Row> rows, List<Event> events, Properties meta, Optional<String> scale, Properties scaleMeta) {
            this.scale = scale;
            this.scaleMeta = scaleMeta;
            this.rows = rows;
            this.events = events;
            this.meta = meta;
        }

        String write() {
            boolean quick = "1".equals(meta.getProperty("quick"));
            line("# Benchmark results" + (quick ? " (QUICK run: short, not for comparison)" : ""));
            line();
            line("Generated by `make bench%s` (bench/bench.sh) from %s to %s at commit %s. Raw numbers: [results.csv]"
                    .formatted(quick ? " QUICK=1" : "", meta.getProperty("started"), meta.getProperty("ended", "?"),
                            meta.getProperty("commit"))
                    + "(results.csv), [events.csv](events.csv); plot: [latency.png](latency.png).");
            String note = meta.getProperty("note", "");
            if (!note.isBlank()) {
                line();
                line("> **Note:** " + note);
            }
            line();
            machine();
            goals();
            floorGoals();
            scenarios();
            eventsTable();
            line("## Latency against throughput");
            line();
            line("![p99 latency against throughput](latency.png)");
            line();
            scale();
            method();
            return out.toString();
        }

        /** The scale curves' section (scale/scale.md), saying so when it comes from a run of its own. */
        private void scale() {
            if (scale.isEmpty()) {
                return;
            }
            String started = scaleMeta.getProperty("started", "");
            String from = meta.getProperty("started", "");
            String to = meta.getProperty("ended", "9999");
            String[] parts = scale.get().split("\n", 2);
            line(parts[0]);
            if (started.compareTo(from) < 0 || started.compareTo(to) > 0) {
                line();
                line(("> **Note:** from a `make bench-scale` run of its own (started %s, load average at its start "
                        + "%s), not from the benchmark run above, which the machine section describes.")
                        .formatted(started.isEmpty() ? "?" : started, scaleMeta.getProperty("load_average_start",
                                "?")));
            }
            out.append(parts.length > 1 ? parts[1] : "");
        }

        private void machine() {
            line("## Machine");
            line();
            line("| | |");
            line("|---|---|");
            line("| CPU | %s, %s cores (nproc) |".formatted(meta.getProperty("cpu_model"), meta.getProperty("nproc")));
            line("| Memory | " + meta.getProperty("memory") + " |");
            line("| OS, kernel | %s, %s |".formatted(meta.getProperty("os"), meta.getProperty("kernel")));
            line("| JDK | " + meta.getProperty("jdk") + " |");
            line("| nginx | " + meta.getProperty("nginx") + " |");
            optional("HAProxy", "haproxy");
            optional("Platform floor (bench/floor)", "floor");
            optional("Spring Cloud Gateway (bench/scg)", "scg");
            line("| wrk | " + meta.getProperty("wrk") + " |");
            line("| Consul | " + meta.getProperty("consul") + " |");
            line("| Load average (1/5/15 min) at start, at end | %s; %s |"
                    .formatted(meta.getProperty("load_average_start"), meta.getProperty("load_average_end", "?")));
            line("| JVM options (gateway, floor, Spring Cloud Gateway) | `%s` |"
                    .formatted(meta.getProperty("gateway_java_opts").strip()));
            line("| Pinning | wrk on core %s; proxy, backends and Consul on core %s |"
                    .formatted(meta.getProperty("load_cpu"), meta.getProperty("server_cpu")));
            line(("| Durations | %s s per run after %s s at the same load; JIT warm-up per JVM (gateway, floor, "
                    + "Spring Cloud Gateway) %s s, then 5 s more at a time until its compiler threads use < 5 %% of its "
                    + "CPU (at most %s s); %s s for nginx and HAProxy |")
                    .formatted(meta.getProperty("duration_s"), meta.getProperty("combo_warmup_s"),
                            meta.getProperty("gateway_warmup_s"), meta.getProperty("gateway_warmup_max_s"),
                            meta.getProperty("nginx_warmup_s")));
            line();
        }

        /** A line of the machine table for a version bench.sh recorded; older runs have none. */
        private void optional(String label, String key) {
            String value = meta.getProperty(key, "");
            if (!value.isBlank()) {
                line("| %s | %s |".formatted(label, value));
            }
        }

        /** Issue 6's targets: the gateway with its default features against nginx with its access log. */
        private void goals() {
            line("## Against the targets of issue 6");
            line();
            line("Gateway (default features: access log, metrics, request ids) against nginx (access log on), "
                    + "32 connections, small JSON, in this run.");
            line();
            line("| target | measured | limit | |");
            line("|---|---|---|---|");
            Optional<Row> gateway = find("gateway", "small", 32);
            Optional<Row> nginx = find("nginx", "small", 32);
            if (gateway.isPresent() && nginx.isPresent()) {
                Row g = gateway.get();
                Row n = nginx.get();
                ratioGoal("throughput", g.rps(), n.rps(), "%,.0f req/s", 0.6, true);
                ratioGoal("proxy CPU per request", g.proxyCpu(), n.proxyCpu(), "%.1f µs", 2, false);
                ratioGoal("p99 latency", g.p99(), n.p99(), "%.2f ms", 2, false);
            } else {
                line("| throughput, CPU per request, p99 | not measured (needs gateway and nginx at 32 connections, "
                        + "small) | | |");
            }
            double peak = rows.stream().filter(r -> r.target().startsWith("gateway"))
                    .mapToDouble(Row::rssPeak).max().orElse(Double.NaN);
            goal("RSS under load", Double.isNaN(peak) ? "not measured"
                            : "%.0f MiB (peak VmHWM of the gateway over its runs)".formatted(peak),
                    "≤ 256 MiB", Double.isNaN(peak) ? null : peak <= 256);
            event("startup", "gateway").ifPresentOrElse(
                    e -> goal("start-up to first proxied request", "%.2f s (%s)".formatted(e.value() / 1000, e.detail()),
                            "≤ 1.5 s", e.value() <= 1500),
                    () -> goal("start-up to first proxied request", "not measured", "≤ 1.5 s", null));
            event("startup", "gateway-aot").ifPresent(
                    e -> goal("start-up, from the JDK's AOT cache", "%.2f s (%s)".formatted(e.value() / 1000, e.detail()),
                            "≤ 1.5 s", e.value() <= 1500));
            event("propagation", "gateway").ifPresentOrElse(
                    e -> goal("discovery propagation", "%.0f ms (%s)".formatted(e.value(), e.detail()), "≤ 1 s",
                            e.value() <= 1000),
                    () -> goal("discovery propagation", "not measured", "≤ 1 s", null));
            event("failover", "gateway").ifPresentOrElse(
                    e -> goal("failover (kill -9 of an instance under load)", "%.0f %s".formatted(e.value(), e.detail()),
                            "0 errors", e.value() == 0),
                    () -> goal("failover", "not measured", "0 errors", null));
            line();
            Optional<Row> gatewayNoLog = find("gateway-nolog", "small", 32);
            Optional<Row> nginxNoLog = find("nginx-nolog", "small", 32);
            if (gatewayNoLog.isPresent() && nginxNoLog.isPresent()) {
                Row g = gatewayNoLog.get();
                Row n = nginxNoLog.get();
                line("Both without access log: throughput %.2f ×, CPU per request %.2f ×, p99 %.2f × nginx's."
                        .formatted(g.rps() / n.rps(), g.proxyCpu() / n.proxyCpu(), g.p99() / n.p99()));
                line();
            }
            if (gateway.isPresent() && nginx.isPresent() && gateway.get().newConnsPer1k() > 100) {
                line("**The gateway opened %.0f new upstream connections per 1000 requests here (nginx: %.1f)**: its "
                        .formatted(gateway.get().newConnsPer1k(), nginx.get().newConnsPer1k())
                        + "keep-alive pool was not reused, which costs both its CPU and the backends' (see "
                        + "bench/PROFILE.md).");
                line();
            }
            line("wrk is a closed loop: at the same number of connections the faster proxy also carries more "
                    + "requests, so the p99 ratio compares the two at the same concurrency, not the same request rate.");
            line();
        }

        /**
         * Issue 12's targets: the gateway (default features) against the platform floor at 32 connections, for each
         * body size, and the moonshot against nginx; every peer's figure beside them, with the gateway's as a
         * multiple of it.
         */
        private void floorGoals() {
            line("## Against the targets of issue 12: the platform floor and the peers");
            line();
            line("The gateway (default features) against the platform floor (bench/floor: Helidon's WebServer and "
                    + "WebClient, no gateway features), 32 connections, in this run; the moonshot against nginx "
                    + "(access log on). Each peer's figure is followed by the gateway's as a multiple of it (gateway ÷ "
                    + "peer).");
            line();
            line("| body | measure | gateway | " + String.join(" | ", PEERS.stream().map(Report::targetLabel).toList())
                    + " | target | |");
            line("|---|---|---:" + "|---:".repeat(PEERS.size()) + "|---|---|");
            for (String size : SIZES) {
                Optional<Row> gateway = find("gateway", size, 32);
                if (gateway.isEmpty() && PEERS.stream().noneMatch(p -> find(p, size, 32).isPresent())) {
                    continue;
                }
                Optional<Row> floor = find("floor", size, 32);
                Optional<Row> nginx = find("nginx", size, 32);
                Boolean moonshot = verdict(gateway, nginx, Row::rps, 0.8, true);
                floorGoal(size, "requests/s", gateway, Row::rps, "%,.0f", "≥ 0.9 × floor; moonshot ≥ 0.8 × nginx",
                        mark(verdict(gateway, floor, Row::rps, 0.9, true)) + "; moonshot " + mark(moonshot));
                floorGoal(size, "proxy CPU µs/request", gateway, Row::proxyCpu, "%.1f", "≤ 1.10 × floor",
                        mark(verdict(gateway, floor, Row::proxyCpu, 1.10, false)));
                floorGoal(size, "p99 latency, ms", gateway, Row::p99, "%.2f", "≤ 1.5 × floor",
                        mark(verdict(gateway, floor, Row::p99, 1.5, false)));
            }
            line();
            line("A target is judged where the gateway and its reference both ran at 32 connections with that body "
                    + "(– where one did not).");
            line();
            line("| target | measured | limit | |");
            line("|---|---|---|---|");
            event("startup", "gateway-aot").ifPresentOrElse(
                    e -> goal("start-up to first proxied request, from the AOT cache (as `make run` and the image "
                                    + "start), on the server core", "%.2f s (%s)".formatted(e.value() / 1000, e.detail()),
                            "≤ 1.5 s (moonshot ≤ 1 s: " + mark(e.value() <= 1000) + ")", e.value() <= 1500),
                    () -> goal("start-up from the AOT cache", "not measured", "≤ 1.5 s", null));
            event("startup", "gateway-aot-2cpu").ifPresent(
                    e -> goal("the same on both cores (`make run` and an image without a CPU limit, on this machine)",
                            "%.2f s (%s)".formatted(e.value() / 1000, e.detail()),
                            "≤ 1.5 s (moonshot ≤ 1 s: " + mark(e.value() <= 1000) + ")", e.value() <= 1500));
            Optional<Row> oneMiB = find("gateway", "1m", 32);
            goal("RSS under load, 1 MiB bodies, 32 connections, gateway/jvm.options", oneMiB
                            .map(r -> "%.0f MiB peak (VmHWM), %.0f MiB at the end".formatted(r.rssPeak(), r.rssEnd()))
                            .orElse("not measured"),
                    "≤ 192 MiB", oneMiB.map(r -> r.rssPeak() <= 192).orElse(null));
            event("memory", "gateway").ifPresent(e -> goal("the same with Native Memory Tracking on",
                    "%.0f MiB: %s".formatted(e.value(), e.detail()), "(accounting; nmt-summary.txt)", null));
            line();
        }

        private void floorGoal(String size, String measure, Optional<Row> gateway, ToDoubleFunction<Row> value,
                               String format, String target, String verdict) {
            String ours = gateway.map(g -> number(format, value.applyAsDouble(g))).orElse("–");
            List<String> peers = PEERS.stream().map(peer -> find(peer, size, 32).map(p -> {
                double theirs = value.applyAsDouble(p);
                String multiple = gateway.map(g -> " (%.2f ×)".formatted(value.applyAsDouble(g) / theirs)).orElse("");
                return number(format, theirs) + (Double.isNaN(theirs) ? "" : multiple);
            }).orElse("–")).toList();
            line("| %s | %s | %s | %s | %s | %s |".formatted(sizeLabel(size), measure, ours, String.join(" | ", peers),
                    target, verdict));
        }

        /** Whether the gateway's figure is within {@code limit} × the reference's; null when either is missing. */
        private static Boolean verdict(Optional<Row> gateway, Optional<Row> reference, ToDoubleFunction<Row> value,
                                       double limit, boolean atLeast) {
            if (gateway.isEmpty() || reference.isEmpty()) {
                return null;
            }
            double ratio = value.applyAsDouble(gateway.get()) / value.applyAsDouble(reference.get());
            return Double.isNaN(ratio) ? null : atLeast ? ratio >= limit : ratio <= limit;
        }

        private static String mark(Boolean met) {
            return met == null ? "–" : met ? "**met**" : "**missed**";
        }

        private void ratioGoal(String what, double gateway, double nginx, String format, double limit,
                               boolean atLeast) {
            double ratio = gateway / nginx;
            String measured = (format + " = %.2f × nginx's " + format).formatted(gateway, ratio, nginx);
            goal(what, measured, (atLeast ? "≥ " : "≤ ") + limit + " × nginx",
                    Double.isNaN(ratio) ? null : atLeast ? ratio >= limit : ratio <= limit);
        }

        private void goal(String what, String measured, String limit, Boolean met) {
            line("| %s | %s | %s | %s |".formatted(what, measured, limit, mark(met)));
        }

        private void scenarios() {
            line("## Results per scenario");
            line();
            line("Requests/s and latency as wrk saw them; errors = answers ≥ 400 plus socket errors; CPU = user + "
                    + "system time of the proxy's processes (nginx: master and worker; HAProxy: its process; the "
                    + "gateway, the floor, Spring Cloud Gateway: the JVM) during the run divided by the requests; "
                    + "backends = the same for both nginx backends together; RSS of the proxy after the run / its peak "
                    + "so far (VmHWM); JIT = a JVM's compiler threads' share of its CPU during the run (high = not "
                    + "warmed up yet); new "
                    + "upstream connections = requests the backends "
                    + "saw arrive on a fresh connection, per 1000 (0 when keep-alive works). \"direct\" is wrk "
                    + "straight at one backend.");
            line();
            List<String> targets = TARGETS.stream().filter(t -> rows.stream().anyMatch(r -> r.target().equals(t)))
                    .toList();
            Set<Integer> connections = new LinkedHashSet<>();
            rows.stream().map(Row::connections).sorted().forEach(connections::add);
            for (String size : SIZES) {
                for (int c : connections) {
                    List<Optional<Row>> cells = targets.stream().map(t -> find(t, size, c)).toList();
                    if (cells.stream().noneMatch(Optional::isPresent)) {
                        continue;
                    }
                    line("### %s, %d connection%s".formatted(sizeLabel(size), c, c == 1 ? "" : "s"));
                    line();
                    line("| | " + String.join(" | ", targets.stream().map(Report::targetLabel).toList()) + " |");
                    line("|---" + "|---:".repeat(targets.size()) + "|");
                    Optional<Row> nginx = find("nginx", size, c);
                    Optional<Row> floor = find("floor", size, c);
                    cells(cells, "requests/s", r -> "%,.0f".formatted(r.rps()));
                    cells(cells, "× nginx's requests/s", r -> nginx.map(n -> "%.2f".formatted(r.rps() / n.rps()))
                            .orElse("–"));
                    if (targets.contains("floor")) {
                        cells(cells, "× floor's requests/s", r -> floor.map(f -> "%.2f".formatted(r.rps() / f.rps()))
                                .orElse("–"));
                    }
                    cells(cells, "p50 latency, ms", r -> "%.2f".formatted(r.p50()));
                    cells(cells, "p99 latency, ms", r -> "%.2f".formatted(r.p99()));
                    cells(cells, "p99.9 latency, ms", r -> "%.2f".formatted(r.p999()));
                    cells(cells, "errors", r -> "%d".formatted(r.errors()));
                    cells(cells, "proxy CPU µs/request", r -> number("%.1f", r.proxyCpu()));
                    cells(cells, "backends CPU µs/request", r -> number("%.1f", r.backendCpu()));
                    cells(cells, "proxy RSS end / peak, MiB", r -> Double.isNaN(r.rssEnd()) ? "–"
                            : "%.0f / %.0f".formatted(r.rssEnd(), r.rssPeak()));
                    cells(cells, "new upstream connections / 1000 requests", r -> number("%.1f", r.newConnsPer1k()));
                    cells(cells, "JIT compiler threads, % of proxy CPU", r -> number("%.1f", r.jitPercent()));
                    line();
                }
            }
        }

        private void cells(List<Optional<Row>> cells, String label, Function<Row, String> value) {
            line("| " + label + " | " + String.join(" | ", cells.stream().map(c -> c.map(value).orElse("–")).toList())
                    + " |");
        }

        private void eventsTable() {
            if (events.isEmpty()) {
                return;
            }
            line("## Start-up, discovery propagation, failover, memory");
            line();
            line("| measurement | target | value | how |");
            line("|---|---|---:|---|");
            for (Event e : events) {
                String value = e.unit().equals("ms") && e.value() >= 1000
                        ? "%.2f s".formatted(e.value() / 1000) : "%.0f %s".formatted(e.value(), e.unit());
                line("| %s | %s | %s | %s |".formatted(switch (e.kind()) {
                    case "startup" -> "start-up to first proxied request";
                    case "propagation" -> "discovery propagation";
                    case "failover" -> "failover: client errors";
                    case "warmup" -> "JIT warm-up before the first run";
                    case "memory" -> "memory, 1 MiB bodies, Native Memory Tracking on";
                    default -> e.kind();
                }, targetLabel(e.target()), value, e.detail()));
            }
            line();
            line("nginx, HAProxy, the floor and Spring Cloud Gateway have static lists of backends: discovery "
                    + "propagation applies to the gateway only.");
            line();
        }

        private void method() {
            line("## How it was measured");
            line();
            line("""
                    - Everything runs on 127.0.0.1 as local processes: a Consul dev agent, two nginx backends \
                    (one worker each) answering fixed bodies and registered in Consul with a 1 s HTTP check, and one \
                    proxy at a time in front of them. wrk (one thread) is pinned to core %s, everything else to core %s.
                    - Bodies: small = a 108-byte JSON object (`return 200`), 16 KiB and 1 MiB = static files \
                    (sendfile). Each backend adds `X-Backend` and writes a buffered access log with `$msec`.
                    - nginx as the reference: one worker, upstream keep-alive (128 idle connections, as many as the \
                    gateway keeps for two instances), round robin, retry on the other backend, `X-Forwarded-*` and \
                    a request id set, default proxy buffers (8 × 4 KiB: nginx copies 1 MiB bodies in small pieces) \
                    but `proxy_max_temp_file_size 0` (no disk spooling); the `nginx` target writes the combined \
                    access log, `nginx-nolog` none (bench/conf/proxy.conf).
                    - HAProxy: one process, one thread, round robin, upstream keep-alive with `http-reuse always`, no \
                    log, nothing else (no `X-Forwarded-*`, no request id, no retry on the other backend; \
                    bench/conf/haproxy.cfg).
                    - The platform floor (bench/floor): a minimal reverse proxy on Helidon's WebServer and pooled \
                    WebClient, round robin over the backends' fixed addresses, `TCP_NODELAY` on both sides, no proxy \
                    selector, bodies up to 64 KiB of known length sent in one write; no gateway feature. It shows what \
                    Helidon itself costs per request.
                    - Spring Cloud Gateway (bench/scg): the reactive gateway with one route `/bench/** → \
                    lb://bench-backend` over a static instance list (round robin), its defaults otherwise (Netty \
                    keep-alive pool upstream; no `X-Forwarded-*`, which it adds only once `trusted-proxies` is set), no \
                    actuator.
                    - The floor and Spring Cloud Gateway run with the gateway's JVM options and get the same JIT \
                    warm-up before their first measured run.
                    - The gateway: gateway/target/gateway.jar with the shipped application.yaml, its routes replaced \
                    by `/bench/** → bench-backend`; `gateway-nolog` sets `gateway.access-log.enabled=false`. Each \
                    gateway JVM is warmed up before its first measured run until its JIT compiler threads are \
                    nearly idle (the \"JIT warm-up\" line above says how long that took and how busy they still were).
                    - Every measured run is preceded by a short run at the same load; the order is direct, nginx, \
                    nginx-nolog, haproxy, floor, scg, gateway, gateway-nolog (those that were asked for), each through \
                    every body size and connection count.
                    - Start-up: from the exec of `java` to the first 200 through the gateway (curl polling every \
                    10 ms; Consul and the backends already up); the same, once each, for the floor and Spring Cloud \
                    Gateway. Propagation: backend-2 deregistered from Consul while \
                    32 connections run through the gateway; the time until the last request backend-2 served \
                    (its access log's `$msec`). Failover: backend-2's nginx killed with SIGKILL (master and worker) \
                    under 32 connections of GETs; errors as wrk counts them.
                    - CPU time comes from /proc/<pid>/stat in clock ticks (10 ms): over a run of many thousand \
                    requests the rounding is negligible.""".formatted(meta.getProperty("load_cpu"),
                    meta.getProperty("server_cpu")));
        }

        private Optional<Row> find(String target, String size, int connections) {
            return rows.stream().filter(r -> r.target().equals(target) && r.size().equals(size)
                    && r.connections() == connections).findFirst();
        }

        private Optional<Event> event(String kind, String target) {
            return events.stream().filter(e -> e.kind().equals(kind) && e.target().equals(target)).findFirst();
        }

        private void line(String text) {
            out.append(text).append('\n');
        }

        private void line() {
            out.append('\n');
        }
    }

    private static String number(String format, double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, format, value);
    }

    private static String sizeLabel(String size) {
        return switch (size) {
            case "small" -> "Small JSON (108 B)";
            case "16k" -> "16 KiB";
            case "1m" -> "1 MiB";
            default -> Objects.toString(size);
        };
    }

    private static String targetLabel(String target) {
        return switch (target) {
            case "direct" -> "direct";
            case "nginx-nolog" -> "nginx, no log";
            case "haproxy" -> "HAProxy";
            case "floor" -> "floor (Helidon)";
            case "scg" -> "Spring Cloud Gateway";
            case "gateway-nolog" -> "gateway, no log";
            case "gateway-aot" -> "gateway, AOT cache";
            case "gateway-aot-2cpu" -> "gateway, AOT cache, 2 cores";
            default -> target;
        };
    }

    static {
        Locale.setDefault(Locale.ROOT);
    }
}
