package dev.racelab.internal.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Charts drawn as SVG text, on the server: nothing to load when the report opens, nothing to
 * run, and a test can count what was drawn. Colours and dashes are presentation attributes,
 * not style attributes, so the report's Content-Security-Policy needs no 'unsafe-inline'.
 */
final class Svg {
    static final int WIDTH = 560;
    static final int HEIGHT = 300;
    private static final int LEFT = 64;
    private static final int RIGHT = 150;
    private static final int TOP = 30;
    private static final int BOTTOM = 46;
    static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
            "#bcbd22", "#7f7f7f"};

    /** One line: its name in the legend, colour, dashed or not, and a y per x (NaN where it has none). */
    record Line(String name, String color, boolean dashed, double[] ys) {
    }

    /** A vertical mark at an x position, with a label. */
    record Mark(int xIndex, String label, String color) {
    }

    /** One bar: label, value, colour, and whether it must stand out (a FAIL). */
    record Bar(String label, double value, String color, boolean flagged, String tooltip) {
    }

    private Svg() {
    }

    static String lineChart(String id, String title, String xLabel, String yLabel, List<String> xs, List<Line> lines, List<Mark> marks) {
        double max = 0;
        for (Line l : lines) for (double y : l.ys()) if (!Double.isNaN(y)) max = Math.max(max, y);
        double top = niceTop(max);
        StringBuilder s = open(id, title, WIDTH, HEIGHT);
        axes(s, xLabel, yLabel, top, WIDTH);
        int plotW = WIDTH - LEFT - RIGHT;
        for (int i = 0; i < xs.size(); i++) {
            double x = xAt(i, xs.size(), plotW);
            s.append(text(x, HEIGHT - BOTTOM + 16, xs.get(i), "middle", "tick"));
        }
        int legendY = TOP + 4;
        for (Line l : lines) {
            StringBuilder path = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (int i = 0; i < xs.size(); i++) {
                double y = l.ys()[i];
                if (Double.isNaN(y)) continue;
                double px = xAt(i, xs.size(), plotW);
                double py = yAt(y, top);
                path.append(path.isEmpty() ? "M" : " L").append(f(px)).append(' ').append(f(py));
                dots.append("<circle cx=\"").append(f(px)).append("\" cy=\"").append(f(py)).append("\" r=\"3.5\" fill=\"").append(l.color())
                        .append("\"><title>").append(esc(l.name() + " at " + xs.get(i) + ": " + num(y))).append("</title></circle>");
            }
            if (!path.isEmpty()) {
                s.append("<path class=\"series\" d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(l.color())
                        .append("\" stroke-width=\"2\"").append(l.dashed() ? " stroke-dasharray=\"6 4\"" : "").append("/>");
            }
            s.append(dots);
            s.append("<line x1=\"").append(WIDTH - RIGHT + 10).append("\" x2=\"").append(WIDTH - RIGHT + 30).append("\" y1=\"").append(legendY)
                    .append("\" y2=\"").append(legendY).append("\" stroke=\"").append(l.color()).append("\" stroke-width=\"2\"")
                    .append(l.dashed() ? " stroke-dasharray=\"6 4\"" : "").append("/>");
            s.append(text(WIDTH - RIGHT + 34, legendY + 4, l.name(), "start", "legend"));
            legendY += 16;
        }
        for (Mark m : marks) {
            double x = xAt(m.xIndex(), xs.size(), plotW);
            s.append("<line class=\"crossover\" x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"").append(TOP)
                    .append("\" y2=\"").append(HEIGHT - BOTTOM).append("\" stroke=\"").append(m.color())
                    .append("\" stroke-width=\"1.5\" stroke-dasharray=\"3 3\"><title>").append(esc(m.label())).append("</title></line>");
            boolean right = x > LEFT + plotW / 2.0; // near the legend: the label goes left of its line
            s.append(text(right ? x - 4 : x + 4, TOP + 12 + 14 * marks.indexOf(m), m.label(), right ? "end" : "start", "mark"));
        }
        return s.append("</svg>").toString();
    }

    static String barChart(String id, String title, String yLabel, List<Bar> bars, boolean rotateLabels) {
        double max = 0;
        for (Bar b : bars) max = Math.max(max, b.value());
        double top = niceTop(max);
        int bottom = rotateLabels ? 110 : BOTTOM;
        int width = Math.max(WIDTH, LEFT + 40 + bars.size() * (rotateLabels ? 14 : 40));
        int height = HEIGHT - BOTTOM + bottom;
        StringBuilder s = open(id, title, width, height);
        double plotH = height - TOP - bottom;
        s.append(gridAndYAxis(yLabel, top, width - 40, TOP, plotH));
        double slot = (width - 40.0 - LEFT) / Math.max(1, bars.size());
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double h = top == 0 ? 0 : b.value() / top * plotH;
            double x = LEFT + i * slot + slot * 0.15;
            double y = TOP + plotH - h;
            if (b.flagged()) {
                s.append("<rect class=\"fail-band\" x=\"").append(f(LEFT + i * slot)).append("\" y=\"").append(TOP).append("\" width=\"")
                        .append(f(slot)).append("\" height=\"").append(f(plotH)).append("\" fill=\"#fde0e0\"/>");
            }
            s.append("<rect class=\"bar").append(b.flagged() ? " fail" : "").append("\" x=\"").append(f(x)).append("\" y=\"").append(f(y))
                    .append("\" width=\"").append(f(slot * 0.7)).append("\" height=\"").append(f(Math.max(h, b.value() > 0 ? 1 : 0)))
                    .append("\" fill=\"").append(b.color()).append("\"><title>").append(esc(b.tooltip())).append("</title></rect>");
            double lx = x + slot * 0.35;
            double ly = TOP + plotH + 12;
            if (rotateLabels) {
                s.append("<text class=\"tick").append(b.flagged() ? " fail-label" : "").append("\" x=\"").append(f(lx)).append("\" y=\"")
                        .append(f(ly)).append("\" text-anchor=\"end\" transform=\"rotate(-60 ").append(f(lx)).append(' ').append(f(ly))
                        .append(")\"").append(b.flagged() ? " fill=\"#b00020\"" : "").append(">").append(esc(b.label())).append("</text>");
            } else {
                s.append(text(lx, ly, b.label(), "middle", b.flagged() ? "tick fail-label" : "tick"));
            }
        }
        return s.append("</svg>").toString();
    }

    /**
     * Lanes of intervals over time (the faults), under a line of throughput over the same time.
     * {@code labels}: per interval, null for a fault (a red bar), or the words written on a grey
     * bar that is a state rather than a fault (which node was primary).
     */
    static String timeline(String id, String title, long lengthMs, List<String> lanes, List<long[]> intervals, List<Integer> laneOf,
                           List<String> tooltips, List<String> labels, long bucketMs, List<Long> ops) {
        int laneH = 22;
        int height = TOP + 120 + lanes.size() * laneH + BOTTOM;
        StringBuilder s = open(id, title, WIDTH, height);
        int plotW = WIDTH - LEFT - 40;
        double perMs = plotW / (double) Math.max(1, lengthMs);
        double opsTop = 0;
        for (long o : ops) opsTop = Math.max(opsTop, o * 1000.0 / Math.max(1, bucketMs));
        opsTop = niceTop(opsTop);
        s.append(gridAndYAxis("ops/s", opsTop, WIDTH - 40, TOP, 100));
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < ops.size(); i++) {
            double x = LEFT + (i + 0.5) * bucketMs * perMs;
            double y = TOP + 100 - (opsTop == 0 ? 0 : ops.get(i) * 1000.0 / bucketMs / opsTop * 100);
            path.append(path.isEmpty() ? "M" : " L").append(f(x)).append(' ').append(f(y));
        }
        if (!path.isEmpty()) s.append("<path class=\"series\" d=\"").append(path).append("\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\"/>");
        int laneTop = TOP + 120;
        for (int l = 0; l < lanes.size(); l++) s.append(text(LEFT - 6, laneTop + l * laneH + 15, lanes.get(l), "end", "tick"));
        for (int i = 0; i < intervals.size(); i++) {
            long[] iv = intervals.get(i);
            double x = LEFT + iv[0] * perMs;
            double w = Math.max(2, (iv[1] - iv[0]) * perMs);
            String label = labels.get(i);
            int y = laneTop + laneOf.get(i) * laneH + 3;
            s.append("<rect class=\"").append(label == null ? "fault" : "state").append("\" x=\"").append(f(x)).append("\" y=\"").append(y)
                    .append("\" width=\"").append(f(w)).append("\" height=\"").append(laneH - 6).append("\" fill=\"")
                    .append(label == null ? "#d62728\" fill-opacity=\"0.7" : "#bbbbbb\" stroke=\"#fff").append("\"><title>")
                    .append(esc(tooltips.get(i))).append("</title></rect>");
            if (label != null) s.append(text(x + w / 2, y + laneH - 10, label, "middle", "tick"));
        }
        int axisY = laneTop + lanes.size() * laneH + 4;
        s.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + plotW).append("\" y1=\"").append(axisY).append("\" y2=\"")
                .append(axisY).append("\" stroke=\"#888\"/>");
        for (int t = 0; t <= 5; t++) {
            double x = LEFT + t * plotW / 5.0;
            s.append(text(x, axisY + 14, num(lengthMs * t / 5000.0) + " s", "middle", "tick"));
        }
        return s.append("</svg>").toString();
    }

    private static StringBuilder open(String id, String title, int width, int height) {
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"chart\" id=\"").append(esc(id)).append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\"><title>").append(esc(title)).append("</title>");
        s.append(text(LEFT, 18, title, "start", "chart-title"));
        return s;
    }

    private static void axes(StringBuilder s, String xLabel, String yLabel, double top, int width) {
        s.append(gridAndYAxis(yLabel, top, width - RIGHT, TOP, HEIGHT - TOP - BOTTOM));
        s.append(text(LEFT + (width - LEFT - RIGHT) / 2.0, HEIGHT - 8, xLabel, "middle", "axis-label"));
    }

    private static String gridAndYAxis(String yLabel, double top, int right, int plotTop, double plotH) {
        StringBuilder s = new StringBuilder();
        for (int t = 0; t <= 4; t++) {
            double v = top * t / 4;
            double y = plotTop + plotH - plotH * t / 4;
            s.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(right).append("\" y1=\"").append(f(y)).append("\" y2=\"").append(f(y))
                    .append("\" stroke=\"").append(t == 0 ? "#888" : "#e4e4e4").append("\"/>");
            s.append(text(LEFT - 6, y + 4, num(v), "end", "tick"));
        }
        double mid = plotTop + plotH / 2;
        s.append("<text class=\"axis-label\" x=\"14\" y=\"").append(f(mid)).append("\" text-anchor=\"middle\" transform=\"rotate(-90 14 ")
                .append(f(mid)).append(")\">").append(esc(yLabel)).append("</text>");
        return s.toString();
    }

    private static double xAt(int i, int n, int plotW) {
        return n == 1 ? LEFT + plotW / 2.0 : LEFT + 20 + i * (plotW - 40.0) / (n - 1);
    }

    private static double yAt(double y, double top) {
        double plotH = HEIGHT - TOP - BOTTOM;
        return TOP + plotH - (top == 0 ? 0 : y / top * plotH);
    }

    /** 1, 2 or 5 times a power of ten, at or above the largest value: round tick labels. */
    static double niceTop(double max) {
        if (max <= 0) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(max)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) if (m * p >= max) return m * p;
        return 10 * p;
    }

    private static String text(double x, double y, String text, String anchor, String cls) {
        return "<text class=\"" + cls + "\" x=\"" + f(x) + "\" y=\"" + f(y) + "\" text-anchor=\"" + anchor + "\">" + esc(text) + "</text>";
    }

    static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.format(Locale.ROOT, "%,d", (long) v);
        if (Math.abs(v) >= 100) return String.format(Locale.ROOT, "%,.0f", v);
        if (Math.abs(v) >= 1) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static List<String> labels(List<Integer> xs) {
        List<String> out = new ArrayList<>();
        for (int x : xs) out.add(Integer.toString(x));
        return out;
    }
}
