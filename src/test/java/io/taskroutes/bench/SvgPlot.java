package io.taskroutes.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Throughput vs in-flight limit as a plain SVG (axes, ticks, one polyline per series, legend): small enough to read
 * and to diff, no plotting library. The x axis is logarithmic (limits usually double), the y axis linear from 0.
 */
final class SvgPlot {

    /** One series: a name, a colour, a dash pattern ("" for solid) and y per x (NaN: no point). */
    record Series(String name, String colour, String dash, double[] y) {
    }

    private static final int W = 720, H = 440, LEFT = 80, RIGHT = 200, TOP = 60, BOTTOM = 50;

    private SvgPlot() {
    }

    static String render(String title, String subtitle, String xLabel, String yLabel, int[] x, List<Series> series) {
        double maxY = 0;
        for (Series s : series) {
            for (double v : s.y()) {
                if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                    maxY = Math.max(maxY, v);
                }
            }
        }
        double yTop = niceCeiling(maxY == 0 ? 1 : maxY * 1.05);
        double lo = Math.log(x[0]), hi = Math.log(x[x.length - 1]);
        int plotW = W - LEFT - RIGHT, plotH = H - TOP - BOTTOM;
        java.util.function.DoubleUnaryOperator px = v -> LEFT + (hi == lo ? plotW / 2.0 : (Math.log(v) - lo) / (hi - lo) * plotW);
        java.util.function.DoubleUnaryOperator py = v -> TOP + plotH - v / yTop * plotH;

        StringBuilder svg = new StringBuilder();
        svg.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n", W, H, W, H));
        svg.append(f("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, H));
        svg.append(f("<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>\n", LEFT, escape(title)));
        svg.append(f("<text x=\"%d\" y=\"38\" fill=\"#555\">%s</text>\n", LEFT, escape(subtitle)));
        // y grid and ticks
        for (int i = 0; i <= 5; i++) {
            double v = yTop * i / 5;
            double y = py.applyAsDouble(v);
            svg.append(f("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", LEFT, y, LEFT + plotW, y));
            svg.append(f("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", LEFT - 6, y + 4, f("%,.0f", v)));
        }
        // x ticks at the measured limits
        for (int v : x) {
            double xx = px.applyAsDouble(v);
            svg.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n", xx, TOP, xx, TOP + plotH));
            svg.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n", xx, TOP + plotH + 18, v));
        }
        // axes and labels
        svg.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", LEFT, TOP + plotH, LEFT + plotW, TOP + plotH));
        svg.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", LEFT, TOP, LEFT, TOP + plotH));
        svg.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", LEFT + plotW / 2, H - 15, escape(xLabel)));
        svg.append(f("<text x=\"18\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 18 %d)\">%s</text>\n",
                TOP + plotH / 2, TOP + plotH / 2, escape(yLabel)));
        // series
        int legendY = TOP + 10;
        for (Series s : series) {
            List<String> points = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                double v = s.y()[i];
                if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                    points.add(f("%.1f,%.1f", px.applyAsDouble(x[i]), py.applyAsDouble(Math.min(v, yTop))));
                }
            }
            String dash = s.dash().isEmpty() ? "" : " stroke-dasharray=\"" + s.dash() + "\"";
            svg.append(f("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"/>\n", s.colour(), dash, String.join(" ", points)));
            for (String p : points) {
                String[] xy = p.split(",");
                svg.append(f("<circle cx=\"%s\" cy=\"%s\" r=\"3\" fill=\"%s\"/>\n", xy[0], xy[1], s.colour()));
            }
            int lx = LEFT + plotW + 15;
            svg.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>\n", lx, legendY, lx + 24, legendY, s.colour(), dash));
            svg.append(f("<text x=\"%d\" y=\"%d\">%s</text>\n", lx + 30, legendY + 4, escape(s.name())));
            legendY += 20;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** A round number (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten) at least {@code v}: the top of the y axis. */
    static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
