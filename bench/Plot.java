import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * Draws p99 latency against throughput for every target of a benchmark run, both axes logarithmic: one line per
 * target and body size, joining its connection counts (1 → 32 → 128). Down and to the right is better.
 * JDK only (Java2D and ImageIO):
 * <pre>
 * java -Djava.awt.headless=true bench/Plot.java bench/results/results.csv bench/results/latency.png
 * </pre>
 */
public final class Plot {

    private static final int WIDTH = 1100;
    private static final int HEIGHT = 700;
    private static final int LEFT = 80;
    private static final int RIGHT = 250;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    /** Colour and line style per target, in legend order. */
    private static final Map<String, Style> TARGETS = new LinkedHashMap<>();

    static {
        TARGETS.put("direct", new Style("direct (backend alone)", new Color(120, 120, 120), false));
        TARGETS.put("nginx", new Style("nginx", new Color(0, 140, 60), false));
        TARGETS.put("nginx-nolog", new Style("nginx, no access log", new Color(110, 200, 120), true));
        TARGETS.put("haproxy", new Style("HAProxy", new Color(230, 120, 0), false));
        TARGETS.put("floor", new Style("floor (Helidon, no features)", new Color(140, 60, 170), false));
        TARGETS.put("scg", new Style("Spring Cloud Gateway", new Color(200, 40, 40), false));
        TARGETS.put("gateway", new Style("gateway", new Color(30, 90, 200), false));
        TARGETS.put("gateway-nolog", new Style("gateway, no access log", new Color(120, 170, 240), true));
    }

    private static final List<String> SIZES = List.of("small", "16k", "1m");

    private Plot() {
    }

    record Point(String target, String size, int connections, double rps, double p99Ms) {
    }

    record Style(String label, Color color, boolean dashed) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java Plot.java <results.csv> <output.png>");
            System.exit(2);
        }
        List<Point> points = read(Path.of(args[0]));
        if (points.isEmpty()) {
            System.err.println("No results in " + args[0]);
            System.exit(1);
        }
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);

        Axis x = Axis.around(points.stream().mapToDouble(Point::rps).toArray());
        Axis y = Axis.around(points.stream().mapToDouble(Point::p99Ms).toArray());
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        drawAxes(g, x, y, plotWidth, plotHeight);

        Map<String, List<Point>> series = new LinkedHashMap<>();
        for (Point p : points) {
            series.computeIfAbsent(p.target() + "/" + p.size(), k -> new ArrayList<>()).add(p);
        }
        for (List<Point> line : series.values()) {
            line.sort(Comparator.comparingInt(Point::connections));
            Style style = style(line.getFirst().target());
            g.setColor(style.color());
            g.setStroke(style.dashed()
                    ? new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 5f}, 0f)
                    : new BasicStroke(2f));
            Path2D path = new Path2D.Double();
            for (int i = 0; i < line.size(); i++) {
                double px = LEFT + x.position(line.get(i).rps()) * plotWidth;
                double py = TOP + (1 - y.position(line.get(i).p99Ms())) * plotHeight;
                if (i == 0) {
                    path.moveTo(px, py);
                } else {
                    path.lineTo(px, py);
                }
            }
            g.draw(path);
            g.setStroke(new BasicStroke(1.5f));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            for (Point p : line) {
                double px = LEFT + x.position(p.rps()) * plotWidth;
                double py = TOP + (1 - y.position(p.p99Ms())) * plotHeight;
                g.fill(marker(p.size(), px, py));
                g.drawString("c" + p.connections(), (float) px + 6, (float) py - 5);
            }
        }
        drawLegend(g, points);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString("p99 latency against throughput (wrk; c = connections; down and right is better)", LEFT, 30);
        g.dispose();
        ImageIO.write(image, "png", Path.of(args[1]).toFile());
    }

    private static List<Point> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.getFirst().split(","));
        int target = header.indexOf("target");
        int size = header.indexOf("size");
        int connections = header.indexOf("connections");
        int rps = header.indexOf("rps");
        int p99 = header.indexOf("p99_ms");
        List<Point> points = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            double latency = Double.parseDouble(f[p99]);
            double throughput = Double.parseDouble(f[rps]);
            if (latency > 0 && throughput > 0) {
                points.add(new Point(f[target], f[size], Integer.parseInt(f[connections]), throughput, latency));
            }
        }
        return points;
    }

    private static Style style(String target) {
        return TARGETS.getOrDefault(target, new Style(target, Color.MAGENTA, false));
    }

    private static Shape marker(String size, double x, double y) {
        double r = 5;
        return switch (size) {
            case "16k" -> new Rectangle2D.Double(x - r, y - r, 2 * r, 2 * r);
            case "1m" -> new Polygon(new int[] {(int) x, (int) (x + r + 1), (int) (x - r - 1)},
                    new int[] {(int) (y - r - 1), (int) (y + r), (int) (y + r)}, 3);
            default -> new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r);
        };
    }

    private static void drawAxes(Graphics2D g, Axis x, Axis y, int plotWidth, int plotHeight) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        Stroke grid = new BasicStroke(1f);
        for (double tick : x.ticks()) {
            int px = LEFT + (int) Math.round(x.position(tick) * plotWidth);
            g.setColor(new Color(225, 225, 225));
            g.setStroke(grid);
            g.drawLine(px, TOP, px, TOP + plotHeight);
            g.setColor(Color.DARK_GRAY);
            String label = Axis.label(tick);
            g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, TOP + plotHeight + 16);
        }
        for (double tick : y.ticks()) {
            int py = TOP + plotHeight - (int) Math.round(y.position(tick) * plotHeight);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(LEFT, py, LEFT + plotWidth, py);
            g.setColor(Color.DARK_GRAY);
            String label = Axis.label(tick);
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), py + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotWidth, plotHeight);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("requests per second (log scale)", LEFT + plotWidth / 2 - 90, HEIGHT - 18);
        g.rotate(-Math.PI / 2);
        g.drawString("p99 latency, ms (log scale)", -(TOP + plotHeight / 2 + 80), 22);
        g.rotate(Math.PI / 2);
    }

    private static void drawLegend(Graphics2D g, List<Point> points) {
        int x = WIDTH - RIGHT + 20;
        int y = TOP + 10;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (Map.Entry<String, Style> entry : TARGETS.entrySet()) {
            if (points.stream().noneMatch(p -> p.target().equals(entry.getKey()))) {
                continue;
            }
            Style style = entry.getValue();
            g.setColor(style.color());
            g.setStroke(style.dashed()
                    ? new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 5f}, 0f)
                    : new BasicStroke(2f));
            g.drawLine(x, y, x + 30, y);
            g.setColor(Color.BLACK);
            g.drawString(style.label(), x + 38, y + 4);
            y += 22;
        }
        y += 12;
        for (String size : SIZES) {
            if (points.stream().noneMatch(p -> p.size().equals(size))) {
                continue;
            }
            g.setColor(Color.DARK_GRAY);
            g.fill(marker(size, x + 15, y));
            g.setColor(Color.BLACK);
            g.drawString(switch (size) {
                case "small" -> "small JSON (108 B)";
                case "16k" -> "16 KiB body";
                default -> "1 MiB body";
            }, x + 38, y + 4);
            y += 22;
        }
    }

    /** A logarithmic axis over whole decades around the values, ticks at 1, 2 and 5 × 10^n. */
    record Axis(double lowLog, double highLog) {

        static Axis around(double[] values) {
            double min = Double.MAX_VALUE;
            double max = 0;
            for (double v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double low = Math.floor(Math.log10(min));
            double high = Math.ceil(Math.log10(max));
            return new Axis(low, high == low ? low + 1 : high);
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

        static String label(double v) {
            if (v >= 1000) {
                return String.format("%.0fk", v / 1000);
            }
            if (v >= 1) {
                return String.format("%.0f", v);
            }
            return String.format("%s", Double.toString(v).replaceAll("0+$", ""));
        }
    }
}
