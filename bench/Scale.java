import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Writes {@code scale.md} (to standard output): the section of results.md on the scale curves of issue 12, from the
 * CSV files bench/lib/scale.sh left in its directory (a-routes.csv, b-instances.csv, c-services.csv, d-idle.csv,
 * e-connections.csv; any of them may be missing), events.csv and meta.properties. One table per scenario, the
 * targets marked met or missed, every ratio computed within the run. Links are relative to that directory
 * (Report.java rewrites them when it includes the section in results.md).
 * <pre>
 * java bench/Scale.java bench/results/scale > bench/results/scale/scale.md
 * </pre>
 */
public final class Scale {

    /** Route and instance costs may grow this much over the smallest point (issue 12: "within 10 %"). */
    private static final double COST_LIMIT = 1.10;
    /** Platform threads the gateway may gain from no idle connection to the most: the JVM's own come and go. */
    private static final int THREAD_SLACK = 4;

    private Scale() {
    }

    /** A CSV file of one scenario: its header and rows; a missing or empty cell reads as NaN. */
    record Table(String file, List<String> header, List<String[]> rows) {

        static Optional<Table> read(Path dir, String file) throws IOException {
            Path path = dir.resolve(file);
            if (!Files.exists(path)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(path).stream().filter(l -> !l.isBlank()).toList();
            if (lines.size() < 2) {
                return Optional.empty();
            }
            return Optional.of(new Table(file, List.of(lines.getFirst().split(",", -1)),
                    lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).toList()));
        }

        double num(String[] row, String column) {
            int i = header.indexOf(column);
            if (i < 0 || i >= row.length || row[i].isEmpty()) {
                return Double.NaN;
            }
            return Double.parseDouble(row[i]);
        }

        String text(String[] row, String column) {
            int i = header.indexOf(column);
            return i < 0 || i >= row.length ? "" : row[i];
        }

        /** The rows sorted by a numeric column (the scenario's x axis). */
        List<String[]> by(String column) {
            List<String[]> sorted = new ArrayList<>(rows);
            sorted.sort(Comparator.comparingDouble(r -> num(r, column)));
            return sorted;
        }
    }

    /** One line of the targets table at the top of the section. */
    record Target(String scenario, String target, String measured, String verdict) {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "bench/results/scale");
        Properties meta = new Properties();
        Path metaFile = dir.resolve("meta.properties");
        if (Files.exists(metaFile)) {
            try (Reader reader = Files.newBufferedReader(metaFile)) {
                meta.load(reader);
            }
        }
        List<String[]> events = new ArrayList<>();
        Path eventsFile = dir.resolve("events.csv");
        if (Files.exists(eventsFile)) {
            Files.readAllLines(eventsFile).stream().skip(1).filter(l -> !l.isBlank())
                    .forEach(l -> events.add(l.split(",", 5)));
        }
        System.out.print(new Writer(dir, meta, events).write());
    }

    private static final class Writer {

        private final Path dir;
        private final Properties meta;
        private final List<String[]> events;
        private final List<Target> targets = new ArrayList<>();
        /** Side findings, listed under the targets table. */
        private final List<String> findings = new ArrayList<>();
        private final StringBuilder body = new StringBuilder();

        Writer(Path dir, Properties meta, List<String[]> events) {
            this.dir = dir;
            this.meta = meta;
            this.events = events;
        }

        String write() throws IOException {
            Optional<Table> a = Table.read(dir, "a-routes.csv");
            Optional<Table> b = Table.read(dir, "b-instances.csv");
            Optional<Table> c = Table.read(dir, "c-services.csv");
            Optional<Table> d = Table.read(dir, "d-idle.csv");
            Optional<Table> e = Table.read(dir, "e-connections.csv");
            a.ifPresent(this::routes);
            b.ifPresent(this::instances);
            c.ifPresent(this::services);
            d.ifPresent(this::idle);
            e.ifPresent(this::connections);
            warmUps();

            StringBuilder out = new StringBuilder();
            boolean quick = "1".equals(meta.getProperty("quick"));
            out.append("## Scale curves (issue 12)").append(quick ? " — QUICK run: few points, short runs" : "")
                    .append("\n\n");
            out.append(("Generated by bench/lib/scale.sh (`make bench-scale`, or the end of `make bench`) from %s to "
                    + "%s at commit %s, scenarios %s. Load: wrk, one thread, on core %s; the gateway (and nginx, "
                    + "and the extra nginx of b and c) on core %s, with `%s`. Unless a scenario says otherwise, each "
                    + "point is %s connections of small JSON for %s s after %s s at the same load, every gateway "
                    + "JVM warmed up first like the benchmark's.\n\n")
                    .formatted(meta.getProperty("started", "?"), meta.getProperty("ended", "?"),
                            meta.getProperty("commit", "?"), meta.getProperty("scenarios", "?"),
                            meta.getProperty("load_cpu", "?"), meta.getProperty("server_cpu", "?"),
                            meta.getProperty("gateway_java_opts", "?").strip(), meta.getProperty("scale_load", "32"),
                            meta.getProperty("duration_s", "?"), meta.getProperty("combo_warmup_s", "?")));
            String note = meta.getProperty("note", "");
            if (!note.isBlank()) {
                out.append("> **Note:** ").append(note).append("\n\n");
            }
            if (targets.isEmpty()) {
                out.append("No scenario left results.\n\n");
                return out.toString();
            }
            out.append("| scenario | target | measured | |\n|---|---|---|---|\n");
            for (Target t : targets) {
                out.append("| %s | %s | %s | %s |\n".formatted(t.scenario(), t.target(), t.measured(), t.verdict()));
            }
            out.append("\n");
            if (!findings.isEmpty()) {
                out.append("Also found:\n\n");
                findings.forEach(f -> out.append("- ").append(f).append(".\n"));
                out.append("\n");
            }
            out.append(body);
            return out.toString();
        }

        // --- a ---------------------------------------------------------------------------------------------------

        private void routes(Table t) {
            List<String[]> all = t.by("routes");
            List<String[]> rows = all.stream().filter(r -> t.text(r, "failure").isEmpty()).toList();
            List<String[]> failed = all.stream().filter(r -> !t.text(r, "failure").isEmpty()).toList();
            heading("a. Routes");
            String benchHeap = heapLimit(meta.getProperty("gateway_java_opts", ""));
            String extraOpts = meta.getProperty("scale_routes_java_opts", "").strip();
            line(("Per point a gateway started with that many generated routes `/bench/r<i>/**` plus `/bench/**`, "
                    + "which answers the load (`/bench/small`): every generated route is more specific than "
                    + "`/bench/**`, so a table scanned in order would try all of them first. Every point runs with "
                    + "the benchmark's options (whose heap is %s)%s. Start-up = from the exec of `java` to the first "
                    + "proxied request; heap = live heap after a full GC once it proxies. Target: CPU per request at "
                    + "every count ≤ %.2f × the first count's figure.").formatted(benchHeap,
                    extraOpts.isEmpty() ? "" : " and `" + extraOpts + "` after them", COST_LIMIT));
            line();
            figure("a. Routes", "a-routes.png");
            if (rows.isEmpty()) {
                line("No gateway started.");
                line();
            }
            String[] base = rows.isEmpty() ? null : rows.getFirst();
            double baseCpu = base == null ? Double.NaN : t.num(base, "cpu_us_per_req");
            long baseRoutes = base == null ? 0 : (long) t.num(base, "routes");
            if (base != null) {
                line("| routes | start-up | RSS / live heap after start-up, MiB | requests/s | p50 ms | p99 ms "
                        + "| p99.9 ms | errors | CPU µs/request | × %,d routes | GC, %% of the run | RSS MiB | threads | |"
                        .formatted(baseRoutes));
                line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            }
            boolean allMet = failed.isEmpty();
            String worst = "";
            double worstRatio = 0;
            for (String[] r : rows) {
                double ratio = t.num(r, "cpu_us_per_req") / baseCpu;
                boolean met = ratio <= COST_LIMIT;
                allMet &= met;
                if (ratio > worstRatio) {
                    worstRatio = ratio;
                    worst = "%,d routes: %.1f µs = %.2f ×".formatted((long) t.num(r, "routes"),
                            t.num(r, "cpu_us_per_req"), ratio);
                }
                line("| %,d | %,.1f s | %.0f / %.0f | %,.0f | %.2f | %.2f | %.2f | %.0f | %.1f | %.2f | %s | %.0f | %.0f | %s |"
                        .formatted((long) t.num(r, "routes"), t.num(r, "startup_ms") / 1000,
                                t.num(r, "rss_start_mib"), t.num(r, "heap_start_mib"), t.num(r, "rps"),
                                t.num(r, "p50_ms"), t.num(r, "p99_ms"), t.num(r, "p999_ms"), t.num(r, "errors"),
                                t.num(r, "cpu_us_per_req"), ratio, number("%.1f", t.num(r, "gc_percent")),
                                t.num(r, "rss_mib"), t.num(r, "threads"),
                                r == base ? "base" : mark(met)));
            }
            if (rows.size() >= 2) {
                String[] first = rows.getFirst();
                String[] last = rows.getLast();
                double perRoute = (t.num(last, "heap_start_mib") - t.num(first, "heap_start_mib")) * 1024
                        / (t.num(last, "routes") - t.num(first, "routes"));
                double startPerRoute = (t.num(last, "startup_ms") - t.num(first, "startup_ms"))
                        / (t.num(last, "routes") - t.num(first, "routes"));
                findings.add(("a. routes: each route beyond the first %,d costs about %.1f KiB of live heap and "
                        + "%.1f ms of start-up (%,d routes: %.0f MiB live heap, %.1f s to the first proxied "
                        + "request; the benchmark's heap: %s)").formatted(baseRoutes, perRoute, startPerRoute,
                        (long) t.num(last, "routes"), t.num(last, "heap_start_mib"),
                        t.num(last, "startup_ms") / 1000, benchHeap));
            }
            if (!rows.isEmpty()) {
                raw(t);
            }
            for (String[] r : failed) {
                line("- %,d routes: %s.".formatted((long) t.num(r, "routes"), t.text(r, "failure")));
            }
            if (!failed.isEmpty()) {
                line();
            }
            String measured = rows.size() < 2 ? "one point only" : "highest: " + worst;
            if (!failed.isEmpty()) {
                measured += "; %s did not start".formatted(String.join(", ", failed.stream()
                        .map(r -> "%,d routes".formatted((long) t.num(r, "routes"))).toList()));
            }
            targets.add(new Target("a. routes %s".formatted(span(all, t, "routes")),
                    "CPU µs/request ≤ %.2f × the %,d-route figure (%s µs) at every count".formatted(COST_LIMIT,
                            baseRoutes, number("%.1f", baseCpu)),
                    measured, rows.size() < 2 && failed.isEmpty() ? "–" : mark(allMet)));
        }

        /** "128m" from "-Xms128m -Xmx128m ..."; "the JVM's default" without -Xmx. */
        private static String heapLimit(String javaOpts) {
            // an @-file (gateway/jvm.options) is read for its options; '#' starts a comment there
            StringBuilder opts = new StringBuilder();
            for (String word : javaOpts.trim().split("\\s+")) {
                if (word.startsWith("@")) {
                    try {
                        for (String fileLine : java.nio.file.Files.readAllLines(java.nio.file.Path.of(word.substring(1)))) {
                            int hash = fileLine.indexOf('#');
                            opts.append(' ').append(hash < 0 ? fileLine : fileLine.substring(0, hash));
                        }
                    } catch (java.io.IOException e) {
                        opts.append(' ').append(word);
                    }
                } else {
                    opts.append(' ').append(word);
                }
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("-Xmx(\\S+)").matcher(opts);
            String found = null;
            while (m.find()) {
                found = m.group(1);
            }
            return found == null ? "the JVM's default" : "-Xmx" + found;
        }

        // --- b ---------------------------------------------------------------------------------------------------

        private void instances(Table t) {
            List<String[]> rows = t.by("instances");
            String[] base = rows.getFirst();
            String[] top = rows.getLast();
            double baseCpu = t.num(base, "cpu_us_per_req");
            int baseInstances = (int) t.num(base, "instances");
            heading("b. Instances of one service");
            line(("One gateway, `/bench/small` routed to one service whose instances are ports of one nginx, "
                    + "registered in Consul without a check (passing while registered) and added point by point "
                    + "while the gateway runs. Seen = from the registration of the new instances to the gateway "
                    + "routing to all of them (its `gateway_upstream_healthy_instances` gauge, polled every 50 ms). "
                    + "Update = one instance deregistered from Consul under the same load: the time to the last "
                    + "request it served (its access log's `$msec`); with N instances each one sees 1/N of the "
                    + "requests, so that time is only known to within the interval between its requests (± column). "
                    + "Target: CPU per request at every count ≤ %.2f × the %d-instance figure (a change of one "
                    + "instance must not cost O(instances) per request).").formatted(COST_LIMIT, baseInstances));
            line();
            figure("b. Instances", "b-instances.png");
            line("| instances | seen | requests/s | p50 ms | p99 ms | errors | CPU µs/request | × %d | GC, %% of the run "
                    .formatted(baseInstances) + "| RSS MiB | threads | update | ± | requests after | |");
            line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            boolean allMet = true;
            for (String[] r : rows) {
                double ratio = t.num(r, "cpu_us_per_req") / baseCpu;
                allMet &= ratio <= COST_LIMIT;
                line("| %,d | %,.0f ms | %,.0f | %.2f | %.2f | %.0f | %.1f | %.2f | %s | %.0f | %.0f | %,.0f ms | %,.0f ms | %.0f | %s |"
                        .formatted((long) t.num(r, "instances"), t.num(r, "seen_ms"), t.num(r, "rps"),
                                t.num(r, "p50_ms"), t.num(r, "p99_ms"), t.num(r, "errors"),
                                t.num(r, "cpu_us_per_req"), ratio, number("%.1f", t.num(r, "gc_percent")),
                                t.num(r, "rss_mib"), t.num(r, "threads"),
                                t.num(r, "update_ms"), t.num(r, "update_resolution_ms"),
                                t.num(r, "update_requests_after"), r == base ? "base" : mark(ratio <= COST_LIMIT)));
            }
            raw(t);
            double topRatio = t.num(top, "cpu_us_per_req") / baseCpu;
            targets.add(new Target("b. instances %s".formatted(span(rows, t, "instances")),
                    "CPU µs/request ≤ %.2f × the %d-instance figure at every count".formatted(COST_LIMIT,
                            baseInstances),
                    rows.size() < 2 ? "one point only" : "%,d instances: %.1f µs = %.2f × %.1f µs".formatted(
                            (long) t.num(top, "instances"), t.num(top, "cpu_us_per_req"), topRatio, baseCpu),
                    rows.size() < 2 ? "–" : mark(allMet)));
            targets.add(new Target("b. instances", "discovery update time (a finding, no target)",
                    String.join("; ", rows.stream().map(r -> "%,d instances: %,.0f ms (± %,.0f)".formatted(
                            (long) t.num(r, "instances"), t.num(r, "update_ms"),
                            t.num(r, "update_resolution_ms"))).toList()), "–"));
        }

        // --- c ---------------------------------------------------------------------------------------------------

        private void services(Table t) {
            List<String[]> rows = t.by("services");
            heading("c. Services");
            line(("Per point that many services, two instances each (two ports of one nginx, no check), a route "
                    + "`/s<i>/**` each, and a gateway started with those routes; the load goes to the last "
                    + "service's route. Then %s s without traffic: the gateway's `consul-watch-*` threads, its "
                    + "connections to the Consul agent's HTTP port, the blocking queries the agent has in progress "
                    + "(`consul.rpc.queries_blocking`, – when the agent did not report it), the agent's CPU and the "
                    + "HTTP requests it finished in the window (from its debug log), whether the agent refused the "
                    + "bench's own request (its per-client limit, `limits.http_max_conns_per_client`, 200 by default: "
                    + "then the figures from the agent are missing too) and how many of the gateway's watch loops "
                    + "logged a failure. The gateway watches every service through one shared watch (two blocking "
                    + "queries); no target: a finding.").formatted(meta.getProperty("scale_quiet_s", "?")));
            line();
            figure("c. Services", "c-services.png");
            line("| services | requests/s | p99 ms | errors | CPU µs/request | RSS MiB | threads | watch threads "
                    + "| connections to Consul | blocking queries in Consul | Consul CPU, % of a core | requests to "
                    + "Consul (health/service) | gateway CPU idle, % of a core | agent refused the bench | watch "
                    + "loops that failed |");
            line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|");
            for (String[] r : rows) {
                boolean refused = t.num(r, "consul_refuses_others") > 0;
                line("| %,d | %,.0f | %.2f | %.0f | %.1f | %.0f | %.0f | %.0f | %.0f | %s | %s | %s | %.2f | %s | %s |"
                        .formatted((long) t.num(r, "services"), t.num(r, "rps"), t.num(r, "p99_ms"),
                                t.num(r, "errors"), t.num(r, "cpu_us_per_req"), t.num(r, "rss_mib"),
                                t.num(r, "threads"), t.num(r, "watch_threads"), t.num(r, "consul_connections"),
                                number("%.0f", t.num(r, "consul_blocking_queries")),
                                number("%.2f", t.num(r, "consul_cpu_percent")),
                                refused ? "–" : "%.0f (%.0f)".formatted(t.num(r, "consul_requests"),
                                        t.num(r, "consul_watch_requests")),
                                t.num(r, "gateway_quiet_cpu_percent"), refused ? "**yes**" : "no",
                                number("%.0f", t.num(r, "failed_watches"))));
            }
            raw(t);
            String[] top = rows.getLast();
            double services = t.num(top, "services");
            boolean refused = t.num(top, "consul_refuses_others") > 0;
            targets.add(new Target("c. services %s".formatted(span(rows, t, "services")),
                    "Consul watches: what one replica costs the agent as services grow (a finding, no target)",
                    ("%,d services: %.0f watch threads (%.2f per service), %.0f connections to the agent, %s "
                            + "blocking queries in it; the gateway's threads %.0f → %.0f from %,d services%s")
                            .formatted((long) services, t.num(top, "watch_threads"),
                                    t.num(top, "watch_threads") / services, t.num(top, "consul_connections"),
                                    number("%.0f", t.num(top, "consul_blocking_queries")),
                                    t.num(rows.getFirst(), "threads"), t.num(top, "threads"),
                                    (long) t.num(rows.getFirst(), "services"),
                                    refused ? "; the agent **refused other clients** of 127.0.0.1 (per-client "
                                            + "connection limit) and %s watch loops failed"
                                            .formatted(number("%.0f", t.num(top, "failed_watches"))) : ""),
                    "–"));
        }

        // --- d ---------------------------------------------------------------------------------------------------

        private void idle(Table t) {
            List<String[]> all = t.by("idle");
            List<String[]> rows = all.stream().filter(r -> t.text(r, "failure").isEmpty()).toList();
            List<String[]> failed = all.stream().filter(r -> !t.text(r, "failure").isEmpty()).toList();
            heading("d. Idle keep-alive clients");
            line(("One gateway with the benchmark's JVM options; per point a client (bench/IdleClients.java, on the "
                    + "load core) opens that many keep-alive connections, sends one request on each and leaves them "
                    + "idle. With only those open: the gateway's `gateway_connections_open` gauge, its RSS, its live "
                    + "heap after a full GC (`jcmd GC.run`) and its threads (`/proc/<pid>/status`: platform threads; "
                    + "virtual ones are not OS threads); then the usual load while they stay open; closed = idle "
                    + "connections the gateway closed meanwhile. Per connection = (figure − the figure with none) ÷ "
                    + "connections. Target: the platform threads do not grow with the connections (at most %d more "
                    + "at the largest count than with none: the JVM's own threads come and go); a count the gateway "
                    + "could not hold misses it.").formatted(THREAD_SLACK));
            line();
            figure("d. Idle keep-alive clients", "d-idle.png");
            line("| idle connections | opened (failed) | gateway's gauge | RSS MiB | RSS KiB per connection | heap MiB "
                    + "| heap KiB per connection | threads | requests/s | p99 ms | errors | CPU µs/request | closed by "
                    + "the gateway |");
            line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            String[] base = rows.getFirst();
            for (String[] r : rows) {
                double n = t.num(r, "idle");
                line("| %,d | %,.0f (%.0f) | %s | %.1f | %s | %.1f | %s | %.0f | %,.0f | %.2f | %.0f | %.1f | %.0f |"
                        .formatted((long) n, t.num(r, "answered"), t.num(r, "failed"),
                                number("%,.0f", t.num(r, "gateway_open")), t.num(r, "rss_mib"),
                                n > 0 ? perConnection(t, r, base, "rss_mib") : "–", t.num(r, "heap_mib"),
                                n > 0 ? perConnection(t, r, base, "heap_mib") : "–", t.num(r, "threads"),
                                t.num(r, "rps"), t.num(r, "p99_ms"), t.num(r, "errors"), t.num(r, "cpu_us_per_req"),
                                t.num(r, "closed_by_gateway")));
            }
            raw(t);
            for (String[] r : failed) {
                line("- %,d idle connections: %s.".formatted((long) t.num(r, "idle"), t.text(r, "failure")));
            }
            if (!failed.isEmpty()) {
                line();
            }
            String[] top = rows.getLast();
            double n = t.num(top, "idle");
            if (n <= 0) {
                return;
            }
            String failedText = failed.isEmpty() ? "" : "; %s: %s".formatted(String.join(", ", failed.stream()
                    .map(r -> "%,d".formatted((long) t.num(r, "idle"))).toList()), failed.getFirst()[failed
                    .getFirst().length - 1]);
            targets.add(new Target("d. idle connections %s".formatted(span(all, t, "idle")),
                    "memory per idle connection (a finding, no target)",
                    "%,d connections: RSS %s KiB, live heap %s KiB per connection%s".formatted((long) n,
                            perConnection(t, top, base, "rss_mib"), perConnection(t, top, base, "heap_mib"),
                            failedText), "–"));
            double grown = t.num(top, "threads") - t.num(base, "threads");
            targets.add(new Target("d. idle connections", ("platform threads flat: at most %d more at the largest "
                    + "count than with none").formatted(THREAD_SLACK),
                    "%.0f with none → %.0f with %,d (%+.0f)%s".formatted(t.num(base, "threads"),
                            t.num(top, "threads"), (long) n, grown, failed.isEmpty() ? ""
                                    : "; the gateway did not hold %,d".formatted((long) t.num(failed.getFirst(),
                                    "idle"))), mark(grown <= THREAD_SLACK)));
            long most = (long) t.num(all.getLast(), "idle");
            targets.add(new Target("d. idle connections", "the gateway holds %,d idle connections with the "
                    .formatted(most) + "benchmark's JVM options",
                    failed.isEmpty() ? "held" : failed.getFirst()[failed.getFirst().length - 1],
                    mark(failed.isEmpty())));
        }

        /** (figure at row − figure at base) in KiB ÷ the row's idle connections, MiB columns. */
        private static String perConnection(Table t, String[] row, String[] base, String column) {
            double kib = (t.num(row, column) - t.num(base, column)) * 1024 / t.num(row, "idle");
            return number("%.1f", kib);
        }

        // --- e ---------------------------------------------------------------------------------------------------

        private void connections(Table t) {
            heading("e. Connections");
            line("nginx (access log on; bench/conf/proxy.conf) and then the gateway (default features) through every "
                    + "connection count, small JSON. The ratios are the gateway's figure ÷ nginx's. No target of its "
                    + "own: the benchmark's tables judge the gateway against nginx and the floor at 32 connections.");
            line();
            figure("e. Connections", "e-connections.png");
            line("| connections | nginx requests/s | gateway requests/s | × nginx | nginx p99 ms | gateway p99 ms "
                    + "| × nginx | nginx CPU µs/request | gateway CPU µs/request | gateway GC, % of the run | gateway errors "
                    + "| gateway threads |");
            line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            List<Integer> counts = t.rows().stream().map(r -> (int) t.num(r, "connections")).distinct().sorted()
                    .toList();
            List<String> ratios = new ArrayList<>();
            for (int c : counts) {
                Optional<String[]> nginx = find(t, "nginx", c);
                Optional<String[]> gateway = find(t, "gateway", c);
                Function<String, Double> ng = col -> nginx.map(r -> t.num(r, col)).orElse(Double.NaN);
                Function<String, Double> gw = col -> gateway.map(r -> t.num(r, col)).orElse(Double.NaN);
                double rpsRatio = gw.apply("rps") / ng.apply("rps");
                double p99Ratio = gw.apply("p99_ms") / ng.apply("p99_ms");
                line("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |".formatted(c,
                        number("%,.0f", ng.apply("rps")), number("%,.0f", gw.apply("rps")),
                        number("%.2f", rpsRatio), number("%.2f", ng.apply("p99_ms")),
                        number("%.2f", gw.apply("p99_ms")), number("%.2f", p99Ratio),
                        number("%.1f", ng.apply("cpu_us_per_req")), number("%.1f", gw.apply("cpu_us_per_req")),
                        number("%.1f", gw.apply("gc_percent")), number("%.0f", gw.apply("errors")), number("%.0f", gw.apply("threads"))));
                ratios.add("%d: %s × / %s ×".formatted(c, number("%.2f", rpsRatio), number("%.2f", p99Ratio)));
            }
            raw(t);
            targets.add(new Target("e. connections %s".formatted(counts.stream().map(String::valueOf)
                    .reduce((x, y) -> x + " → " + y).orElse("")),
                    "gateway ÷ nginx, requests/s / p99, per connection count (a finding, no target)",
                    String.join("; ", ratios), "–"));
        }

        private static Optional<String[]> find(Table t, String target, int connections) {
            return t.rows().stream().filter(r -> t.text(r, "target").equals(target)
                    && (int) t.num(r, "connections") == connections).findFirst();
        }

        // --- common ----------------------------------------------------------------------------------------------

        /** The JIT warm-ups of the scenarios' gateways (events.csv): how long, and how busy the JIT still was. */
        private void warmUps() {
            List<String[]> warmups = events.stream().filter(e -> e[0].equals("warmup")).toList();
            if (warmups.isEmpty()) {
                return;
            }
            line("### JIT warm-ups of the scenarios' gateways");
            line();
            line("| gateway | warm-up | |");
            line("|---|---:|---|");
            for (String[] e : warmups) {
                line("| %s | %s %s | %s |".formatted(e[1], e[2], e[3], e.length > 4 ? e[4].replaceAll("^\"|\"$", "")
                        : ""));
            }
            line();
        }

        private void heading(String title) {
            line("### " + title);
            line();
        }

        /** The scenario's plot, when ScalePlot.java has drawn it. */
        private void figure(String title, String png) {
            if (Files.exists(dir.resolve(png))) {
                line("![%s](%s)".formatted(title, png));
                line();
            }
        }

        /** After a scenario's table: the CSV file it came from. */
        private void raw(Table t) {
            line();
            line("Raw numbers: [%s](%s).".formatted(t.file(), t.file()));
            line();
        }

        /** "10 → 1,000 → 10,000": the scenario's points. */
        private static String span(List<String[]> rows, Table t, String column) {
            return String.join(" → ", rows.stream().map(r -> "%,d".formatted((long) t.num(r, column))).toList());
        }

        private void line(String text) {
            body.append(text).append('\n');
        }

        private void line() {
            body.append('\n');
        }
    }

    private static String mark(boolean met) {
        return met ? "**met**" : "**missed**";
    }

    private static String number(String format, double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, format, value);
    }

    static {
        Locale.setDefault(Locale.ROOT);
    }
}
