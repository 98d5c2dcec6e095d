import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * Draws one PNG per scale scenario of bench/lib/scale.sh, from the CSV files in its results directory: two charts
 * side by side, the scenario's count on a logarithmic x axis (routes, instances, services, idle connections,
 * connections), a linear y axis from 0, targets as dashed lines. A missing CSV file is skipped. JDK only (Java2D
 * and ImageIO):
 * <pre>
 * java -Djava.awt.headless=true bench/ScalePlot.java bench/results/scale
 * </pre>
 * writes a-routes.png, b-instances.png, c-services.png, d-idle.png and e-connections.png there.
 */
public final class ScalePlot {

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 520;
    private static final int TOP = 60;
    private static final int BOTTOM = 60;
    private static final int CHART_WIDTH = 470;
    private static final int[] LEFTS = {80, 680};

    private static final Color GATEWAY = new Color(30, 90, 200);
    private static final Color NGINX = new Color(0, 140, 60);
    private static final Color SECOND = new Color(230, 120, 0);
    private static final Color THIRD = new Color(140, 60, 170);
    private static final Color TARGET = new Color(200, 40, 40);

    private ScalePlot() {
    }

    /** A line through points, or (no points, one y) a dashed horizontal reference line. */
    record Series(String label, Color color, List<double[]> points, double reference) {

        static Series line(String label, Color color, List<double[]> points) {
            return new Series(label, color, points, Double.NaN);
        }

        static Series reference(String label, Color color, double y) {
            return new Series(label, color, List.of(), y);
        }

        boolean isReference() {
            return !Double.isNaN(reference);
        }
    }

    record Chart(String title, String xLabel, String yLabel, List<Series> series) {
    }

    /** A CSV file: header and rows of numbers (a text cell, such as a target name, is kept as text too). */
    record Csv(List<String> header, List<String[]> rows) {

        static Csv read(Path file) throws IOException {
            List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
            return new Csv(List.of(lines.getFirst().split(",", -1)),
                    lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).toList());
        }

        double num(String[] row, String column) {
            int i = header.indexOf(column);
            return i < 0 || i >= row.length || row[i].isEmpty() ? Double.NaN : Double.parseDouble(row[i]);
        }

        /** (x, y) of every row where both are numbers and x > 0 (the x axis is logarithmic), sorted by x. */
        List<double[]> points(String x, String y) {
            return points(x, y, row -> true);
        }

        List<double[]> points(String x, String y, java.util.function.Predicate<String[]> which) {
            List<double[]> points = new ArrayList<>();
            for (String[] row : rows) {
                double px = num(row, x);
                double py = num(row, y);
                if (which.test(row) && px > 0 && !Double.isNaN(py)) {
                    points.add(new double[] {px, py});
                }
            }
            points.sort(Comparator.comparingDouble(p -> p[0]));
            return points;
        }

        /** The y of the row with the smallest x. */
        double first(String x, String y) {
            return rows.stream().min(Comparator.comparingDouble(r -> num(r, x))).map(r -> num(r, y))
                    .orElse(Double.NaN);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java ScalePlot.java <results/scale directory>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        plot(dir, "a-routes", csv -> {
            double limit = 1.10 * csv.first("routes", "cpu_us_per_req");
            return new Chart[] {
                    new Chart("CPU per request", "routes", "µs of gateway CPU per request", List.of(
                            Series.line("gateway", GATEWAY, csv.points("routes", "cpu_us_per_req")),
                            Series.reference("target: 1.10 × the first point", TARGET, limit))),
                    new Chart("Memory once it proxies", "routes", "MiB", List.of(
                            Series.line("RSS", GATEWAY, csv.points("routes", "rss_start_mib")),
                            Series.line("live heap after a full GC", SECOND, csv.points("routes", "heap_start_mib"))))};
        }, "a. Routes: the gateway's cost against the size of its route table");
        plot(dir, "b-instances", csv -> {
            double limit = 1.10 * csv.first("instances", "cpu_us_per_req");
            return new Chart[] {
                    new Chart("CPU per request", "instances of the service", "µs of gateway CPU per request",
                            List.of(Series.line("gateway", GATEWAY, csv.points("instances", "cpu_us_per_req")),
                                    Series.reference("target: 1.10 × the first point", TARGET, limit))),
                    new Chart("Discovery", "instances of the service", "ms", List.of(
                            Series.line("update: deregistration → last request", GATEWAY,
                                    csv.points("instances", "update_ms")),
                            Series.line("± resolution of that time", THIRD,
                                    csv.points("instances", "update_resolution_ms")),
                            Series.line("seen: registration → routed to all", SECOND,
                                    csv.points("instances", "seen_ms"))))};
        }, "b. Instances of one service (Consul, no checks)");
        plot(dir, "c-services", csv -> new Chart[] {
                new Chart("CPU per request", "services (2 instances each)", "µs of gateway CPU per request",
                        List.of(Series.line("gateway", GATEWAY, csv.points("services", "cpu_us_per_req")))),
                new Chart("Threads and Consul, no traffic", "services (2 instances each)", "count", List.of(
                        Series.line("gateway threads", GATEWAY, csv.points("services", "threads")),
                        Series.line("consul-watch threads", SECOND, csv.points("services", "watch_threads")),
                        Series.line("connections to the Consul agent", THIRD,
                                csv.points("services", "consul_connections"))))},
                "c. Services: what the Consul watches cost");
        plot(dir, "d-idle", csv -> new Chart[] {
                new Chart("Memory, idle connections open", "idle keep-alive connections", "MiB", List.of(
                        Series.line("RSS", GATEWAY, csv.points("idle", "rss_mib")),
                        Series.line("live heap after a full GC", SECOND, csv.points("idle", "heap_mib")),
                        Series.reference("RSS with none open", GATEWAY, csv.first("idle", "rss_mib")))),
                new Chart("Platform threads", "idle keep-alive connections", "threads of the gateway's JVM",
                        List.of(Series.line("idle connections open", GATEWAY, csv.points("idle", "threads")),
                                Series.line("under load beside them", SECOND, csv.points("idle", "threads_load")),
                                Series.reference("with none open", TARGET, csv.first("idle", "threads"))))},
                "d. Idle keep-alive clients");
        plot(dir, "e-connections", csv -> new Chart[] {
                new Chart("Throughput", "connections", "requests/s", List.of(
                        Series.line("gateway", GATEWAY, csv.points("connections", "rps", r -> r[0].equals("gateway"))),
                        Series.line("nginx", NGINX, csv.points("connections", "rps", r -> r[0].equals("nginx"))))),
                new Chart("p99 latency", "connections", "ms", List.of(
                        Series.line("gateway", GATEWAY,
                                csv.points("connections", "p99_ms", r -> r[0].equals("gateway"))),
                        Series.line("nginx", NGINX, csv.points("connections", "p99_ms", r -> r[0].equals("nginx")))))},
                "e. Connections: the gateway against nginx (small JSON)");
    }

    interface Charts {
        Chart[] of(Csv csv);
    }

    private static void plot(Path dir, String name, Charts charts, String title) throws IOException {
        Path csvFile = dir.resolve(name + ".csv");
        if (!Files.exists(csvFile)) {
            return;
        }
        Csv csv = Csv.read(csvFile);
        if (csv.rows().isEmpty()) {
            return;
        }
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        Chart[] parts = charts.of(csv);
        for (int i = 0; i < parts.length && i < LEFTS.length; i++) {
            draw(g, parts[i], LEFTS[i]);
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFTS[0], 24);
        g.dispose();
        ImageIO.write(image, "png", dir.resolve(name + ".png").toFile());
    }

    private static void draw(Graphics2D g, Chart chart, int left) {
        List<double[]> all = chart.series().stream().flatMap(s -> s.points().stream()).toList();
        if (all.isEmpty()) {
            return;
        }
        LogAxis x = LogAxis.around(all.stream().mapToDouble(p -> p[0]).toArray());
        double yMax = Math.max(all.stream().mapToDouble(p -> p[1]).max().orElse(1),
                chart.series().stream().filter(Series::isReference).mapToDouble(Series::reference).max().orElse(0));
        LinearAxis y = LinearAxis.upTo(yMax);
        int height = HEIGHT - TOP - BOTTOM;

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (double tick : x.ticks()) {
            int px = left + (int) Math.round(x.position(tick) * CHART_WIDTH);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(px, TOP, px, TOP + height);
            g.setColor(Color.DARK_GRAY);
            String label = label(tick);
            g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, TOP + height + 16);
        }
        for (double tick : y.ticks()) {
            int py = TOP + height - (int) Math.round(y.position(tick) * height);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(left, py, left + CHART_WIDTH, py);
            g.setColor(Color.DARK_GRAY);
            String label = label(tick);
            g.drawString(label, left - 6 - g.getFontMetrics().stringWidth(label), py + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, TOP, CHART_WIDTH, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(chart.title(), left, TOP - 10);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        String xLabel = chart.xLabel() + " (log scale)";
        g.drawString(xLabel, left + CHART_WIDTH / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, HEIGHT - 22);
        g.rotate(-Math.PI / 2);
        g.drawString(chart.yLabel(), -(TOP + height / 2 + g.getFontMetrics().stringWidth(chart.yLabel()) / 2),
                left - 52);
        g.rotate(Math.PI / 2);

        Stroke dashed = new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                new float[] {6f, 5f}, 0f);
        int legendY = TOP + 16;
        for (Series s : chart.series()) {
            if (s.isReference() && Double.isNaN(s.reference()) || !s.isReference() && s.points().isEmpty()) {
                continue;
            }
            g.setColor(s.color());
            if (s.isReference()) {
                int py = TOP + height - (int) Math.round(y.position(s.reference()) * height);
                g.setStroke(dashed);
                g.drawLine(left, py, left + CHART_WIDTH, py);
            } else {
                g.setStroke(new BasicStroke(2f));
                Path2D path = new Path2D.Double();
                for (int i = 0; i < s.points().size(); i++) {
                    double[] p = s.points().get(i);
                    double px = left + x.position(p[0]) * CHART_WIDTH;
                    double py = TOP + height - y.position(p[1]) * height;
                    if (i == 0) {
                        path.moveTo(px, py);
                    } else {
                        path.lineTo(px, py);
                    }
                    g.fill(new Ellipse2D.Double(px - 4, py - 4, 8, 8));
                }
                g.draw(path);
            }
            // legend inside the chart, top left
            g.setStroke(s.isReference() ? dashed : new BasicStroke(2f));
            g.drawLine(left + 10, legendY - 4, left + 34, legendY - 4);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString(s.label(), left + 40, legendY);
            legendY += 16;
        }
        g.setStroke(new BasicStroke(1f));
    }

    /** A logarithmic axis over whole decades around the values; ticks at 1, 2 and 5 × 10^n. */
    record LogAxis(double lowLog, double highLog) {

        static LogAxis around(double[] values) {
            double min = Double.MAX_VALUE;
            double max = 0;
            for (double v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double low = Math.floor(Math.log10(min));
            double high = Math.ceil(Math.log10(max));
            return new LogAxis(low, high == low ? low + 1 : high);
        }

        double position(double value) {
            return (Math.log10(value) - lowLog) / (highLog - lowLog);
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            for (int e = (int) lowLog; e <= (int) highLog; e++) {
                for (int m : new int[] {1, 2, 5}) {
                    double v = m * Math.pow(10, e);
                    if (Math.log10(v) <= highLog + 1e-9) {
                        ticks.add(v);
                    }
                }
            }
            return ticks;
        }
    }

    /** A linear axis from 0 to a round number above the largest value (15 % headroom for the legend). */
    record LinearAxis(double max, double step) {

        static LinearAxis upTo(double value) {
            double top = value <= 0 ? 1 : value * 1.15;
            double raw = top / 5;
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = magnitude;
            for (double m : new double[] {1, 2, 2.5, 5, 10}) {
                if (m * magnitude >= raw) {
                    step = m * magnitude;
                    break;
                }
            }
            return new LinearAxis(Math.ceil(top / step) * step, step);
        }

        double position(double value) {
            return value / max;
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            for (double v = 0; v <= max + step / 2; v += step) {
                ticks.add(v);
            }
            return ticks;
        }
    }

    private static String label(double v) {
        if (v >= 1000) {
            return v % 1000 == 0 ? String.format(Locale.ROOT, "%.0fk", v / 1000)
                    : String.format(Locale.ROOT, "%.1fk", v / 1000);
        }
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%s", Double.toString(v).replaceAll("0+$", ""));
    }
}
