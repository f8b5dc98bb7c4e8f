package io.undercurrent.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Writes a latency percentile distribution as SVG: percentile on a log-of-the-tail axis (50 %,
 * 90 %, 99 %, 99.9 %, 99.99 %), latency on a log axis, one line per system. Read at a glance: the
 * lower line is faster, and the gap at the right is the tail.
 */
final class PercentilePlot {

    private static final String[] COLORS = {"#1f6fb4", "#e0761b", "#2ca02c", "#9467bd"};
    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;
    private static final int LEFT = 84;
    private static final int RIGHT = 230;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final double MAX_NINES = 4; // up to 99.99 %

    private PercentilePlot() {}

    /** @param series latencies in microseconds, by name, in legend order */
    static void write(Path file, String title, Map<String, Histogram> series) throws IOException {
        Files.writeString(file, svg(title, series), StandardCharsets.UTF_8);
    }

    static String svg(String title, Map<String, Histogram> series) {
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (Histogram h : series.values()) {
            if (h.getTotalCount() == 0) {
                continue;
            }
            lo = Math.min(lo, Math.max(1, h.getValueAtPercentile(0)) / 1000.0);
            hi = Math.max(hi, h.getMaxValue() / 1000.0);
        }
        if (hi == 0) {
            lo = 1;
            hi = 10;
        }
        double yMin = Math.pow(10, Math.floor(Math.log10(Math.max(lo, 0.01))));
        double yMax = Math.pow(10, Math.ceil(Math.log10(Math.max(hi, yMin * 10))));
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH,
                HEIGHT));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                LEFT,
                escape(title)));
        axes(s, yMin, yMax);
        int i = 0;
        int legendY = TOP + 10;
        for (Map.Entry<String, Histogram> e : series.entrySet()) {
            String color = COLORS[i++ % COLORS.length];
            Histogram h = e.getValue();
            if (h.getTotalCount() > 0) {
                s.append("<polyline fill=\"none\" stroke-width=\"2.2\" stroke=\"")
                        .append(color)
                        .append("\" points=\"");
                for (int k = 0; k <= 400; k++) {
                    double nines = MAX_NINES * k / 400;
                    double percentile = 100 * (1 - Math.pow(10, -nines));
                    double ms = Math.max(h.getValueAtPercentile(percentile) / 1000.0, yMin);
                    s.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(nines), y(ms, yMin, yMax)));
                }
                s.append("\"/>\n");
            }
            s.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/>%n",
                    WIDTH - RIGHT + 20,
                    legendY - 4,
                    color));
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n",
                    WIDTH - RIGHT + 40,
                    legendY,
                    escape(e.getKey())));
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\">p50 %s · p99 %s</text>%n",
                    WIDTH - RIGHT + 40,
                    legendY + 16,
                    ms(h, 50),
                    ms(h, 99)));
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\">max %s · n=%d</text>%n",
                    WIDTH - RIGHT + 40,
                    legendY + 32,
                    h.getTotalCount() == 0 ? "-" : fmt(h.getMaxValue() / 1000.0),
                    h.getTotalCount()));
            legendY += 56;
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static void axes(StringBuilder s, double yMin, double yMax) {
        int x0 = LEFT;
        int x1 = WIDTH - RIGHT;
        int y0 = HEIGHT - BOTTOM;
        s.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
                x0,
                TOP,
                x1 - x0,
                y0 - TOP));
        String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%"};
        for (int n = 0; n <= MAX_NINES; n++) {
            double x = x(n);
            s.append(line(x, TOP, x, y0, "#e4e4e4"));
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    x,
                    y0 + 18,
                    labels[n]));
        }
        double x50 = x(Math.log10(2));
        s.append(line(x50, TOP, x50, y0, "#f0f0f0"));
        s.append(String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#777\">50%%</text>%n",
                x50,
                y0 + 18));
        s.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
                (x0 + x1) / 2,
                y0 + 40));
        for (double decade = yMin; decade <= yMax * 1.0001; decade *= 10) {
            for (int m : new int[] {1, 2, 5}) {
                double v = decade * m;
                if (v > yMax * 1.0001) {
                    break;
                }
                double y = y(v, yMin, yMax);
                s.append(line(x0, y, x1, y, m == 1 ? "#dcdcdc" : "#f2f2f2"));
                s.append(String.format(
                        Locale.ROOT,
                        "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                        x0 - 6,
                        y + 4,
                        tick(v)));
            }
        }
        s.append(String.format(
                Locale.ROOT,
                "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">"
                        + "commit → client (ms, log scale)</text>%n",
                (TOP + y0) / 2,
                (TOP + y0) / 2));
    }

    private static String line(double xa, double ya, double xb, double yb, String color) {
        return String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                xa,
                ya,
                xb,
                yb,
                color);
    }

    private static double x(double nines) {
        return LEFT + (WIDTH - RIGHT - LEFT) * nines / MAX_NINES;
    }

    private static double y(double ms, double yMin, double yMax) {
        double f = (Math.log10(ms) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin));
        return HEIGHT - BOTTOM - f * (HEIGHT - BOTTOM - TOP);
    }

    private static String ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : fmt(h.getValueAtPercentile(percentile) / 1000.0);
    }

    /** An axis label: as few digits as the value needs. */
    private static String tick(double ms) {
        return java.math.BigDecimal.valueOf(ms)
                        .round(new java.math.MathContext(2))
                        .stripTrailingZeros()
                        .toPlainString() + " ms";
    }

    static String fmt(double ms) {
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%.0f ms", ms);
        }
        if (ms >= 10) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        return String.format(Locale.ROOT, "%.2f ms", ms);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
