package org.twiliochannels.dashboard;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Throughput charts as inline SVG: no script, no font or image from elsewhere, scaled by the
 * browser to the width of the page. Each chart has a text alternative (its {@code <title>} and the
 * table beside it on the page), so the numbers never depend on seeing the drawing.
 */
final class Charts {
    static final int WIDTH = 720;
    static final int HEIGHT = 160;
    private static final int TOP = 14;

    private Charts() {}

    /**
     * Bars (one per minute) or, for many minutes, a filled line, with the account's cap per
     * minute as a dashed line when known.
     *
     * @param counts   accepted per minute, oldest first
     * @param capPerMinute the account's cap in messages per minute, if known
     * @param label    the text alternative
     */
    static String perMinute(long[] counts, OptionalDouble capPerMinute, String label, String id) {
        long max = 1;
        for (long n : counts) {
            max = Math.max(max, n);
        }
        double top = Math.max(max, capPerMinute.orElse(0) * 1.05);
        double plot = HEIGHT - TOP;
        StringBuilder svg = open(id, label);
        double step = (double) WIDTH / counts.length;
        if (counts.length <= 200) {
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    continue;
                }
                double h = counts[i] / top * plot;
                svg.append("<rect class=\"bar\" x=\"").append(num(i * step + step * 0.1)).append("\" y=\"")
                        .append(num(HEIGHT - h)).append("\" width=\"").append(num(step * 0.8)).append("\" height=\"")
                        .append(num(h)).append("\"/>");
            }
        } else {
            StringBuilder d = new StringBuilder("M0 ").append(HEIGHT);
            for (int i = 0; i < counts.length; i++) {
                d.append(" L").append(num(i * step)).append(' ').append(num(HEIGHT - counts[i] / top * plot));
            }
            d.append(" L").append(WIDTH).append(' ').append(HEIGHT).append(" Z");
            svg.append("<path class=\"area\" d=\"").append(d).append("\"/>");
        }
        if (capPerMinute.isPresent()) {
            double y = HEIGHT - capPerMinute.getAsDouble() / top * plot;
            svg.append("<line class=\"cap\" x1=\"0\" x2=\"").append(WIDTH).append("\" y1=\"").append(num(y))
                    .append("\" y2=\"").append(num(y)).append("\"/>")
                    .append("<text class=\"cap-label\" x=\"4\" y=\"").append(num(Math.max(11, y - 3))).append("\">cap ")
                    .append(num(capPerMinute.getAsDouble())).append("/min</text>");
        }
        svg.append("</svg>");
        return svg.toString();
    }

    /**
     * Two bars a day, opt-outs (dark) beside opt-ins (light), oldest day first.
     *
     * @param outs  opt-outs per day
     * @param ins   opt-ins per day, as many days as {@code outs}
     * @param label the text alternative
     */
    static String perDay(long[] outs, long[] ins, String label, String id) {
        long max = 1;
        for (int i = 0; i < outs.length; i++) {
            max = Math.max(max, Math.max(outs[i], ins[i]));
        }
        double plot = HEIGHT - TOP;
        double step = (double) WIDTH / outs.length;
        StringBuilder svg = open(id, label);
        for (int i = 0; i < outs.length; i++) {
            bar(svg, "bar", i * step + step * 0.1, step * 0.4, outs[i] / (double) max * plot);
            bar(svg, "bar-in", i * step + step * 0.5, step * 0.4, ins[i] / (double) max * plot);
        }
        svg.append("</svg>");
        return svg.toString();
    }

    /** The chart's element, its text alternative and its background. */
    private static StringBuilder open(String id, String label) {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg id=\"").append(id).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-labelledby=\"").append(id).append("-title\" preserveAspectRatio=\"none\">")
                .append("<title id=\"").append(id).append("-title\">").append(Html.escape(label)).append("</title>")
                .append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" class=\"chart-bg\"/>");
        return svg;
    }

    private static void bar(StringBuilder svg, String kind, double x, double width, double h) {
        if (h > 0) {
            svg.append("<rect class=\"").append(kind).append("\" x=\"").append(num(x)).append("\" y=\"")
                    .append(num(HEIGHT - h)).append("\" width=\"").append(num(width)).append("\" height=\"")
                    .append(num(h)).append("\"/>");
        }
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
