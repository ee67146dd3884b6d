package io.lrnn.bench.claims;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The plot of docs/results-variance.svg, as plain SVG text: one panel per (quantity, omega),
 * d on a log2 axis, values on a log10 axis; measured with gamma = d^(-1/2), measured with
 * gamma = 1, the bound, and the independent-factor prediction for gamma = 1.
 */
final class VarianceSvg {

    private static final int PANEL_W = 440;
    private static final int PANEL_H = 300;
    private static final int LEFT = 70;
    private static final int TOP = 40;
    private static final int PLOT_W = 340;
    private static final int PLOT_H = 210;
    private static final String GAMMA = "#1f77b4";
    private static final String ONE = "#d62728";
    /** Dash pattern of the gamma = 1 prediction, which may leave the panel (it is clipped). */
    private static final String PREDICTION = "2,3";

    private VarianceSvg() {
    }

    /** One line: its points (log2 d, value) and style. */
    private record Series(double[] x, double[] y, String color, String dash, boolean markers) {
    }

    static String plot(List<Variance.Point> points, double[] omegas, int[] projections) {
        StringBuilder svg = new StringBuilder();
        int width = PANEL_W * omegas.length;
        int height = PANEL_H * 2 + 95;
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        for (int col = 0; col < omegas.length; col++) {
            double omega = omegas[col];
            List<Series> output = List.of(
                    series(points, omega, projections, p -> Math.pow(1 + p.s2(), p.d()) - 1, ONE, PREDICTION, false),
                    series(points, omega, projections, Variance.Point::varPOne, ONE, "", true),
                    series(points, omega, projections, Variance.Point::bound, "black", "6,4", false),
                    series(points, omega, projections, Variance.Point::varP, GAMMA, "", true));
            List<Series> gradient = List.of(
                    series(points, omega, projections,
                            p -> p.d() * p.derivativeVar() * Math.pow(1 + p.s2(), p.d() - 1), ONE, PREDICTION, false),
                    series(points, omega, projections, Variance.Point::gradOne, ONE, "", true),
                    series(points, omega, projections, Variance.Point::gradBound, "black", "6,4", false),
                    series(points, omega, projections, Variance.Point::grad, GAMMA, "", true));
            String w = ClaimsReport.number(omega);
            panel(svg, col * PANEL_W, 0, "Var[P] at initialisation, omega = " + w, output, projections);
            panel(svg, col * PANEL_W, PANEL_H, "sum_j Var[dP/dZ_j] at initialisation, omega = " + w, gradient,
                    projections);
        }
        legend(svg, 20, PANEL_H * 2 + 20);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static Series series(List<Variance.Point> points, double omega, int[] projections,
                                 ToDoubleFunction<Variance.Point> field, String color, String dash, boolean markers) {
        double[] x = new double[projections.length];
        double[] y = new double[projections.length];
        for (int i = 0; i < projections.length; i++) {
            x[i] = Math.log(projections[i]) / Math.log(2);
            y[i] = VarianceTables.mean(VarianceTables.at(points, omega, projections[i]), field);
        }
        return new Series(x, y, color, dash, markers);
    }

    private static void panel(StringBuilder svg, int x0, int y0, String title, List<Series> lines, int[] projections) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (Series s : lines) {
            if (s.dash().equals(PREDICTION)) {
                continue;
            }
            for (double v : s.y()) {
                if (v > 0 && Double.isFinite(v)) {
                    low = Math.min(low, Math.log10(v));
                    high = Math.max(high, Math.log10(v));
                }
            }
        }
        low = Math.floor(low);
        high = Math.max(Math.ceil(high), low + 1);
        double xMax = Math.log(projections[projections.length - 1]) / Math.log(2);
        int px = x0 + LEFT;
        int py = y0 + TOP;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"13\" font-weight=\"bold\">%s</text>%n",
                px - 40, py - 15, escape(title)));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                + " stroke=\"#888\"/>%n", px, py, PLOT_W, PLOT_H));
        int decades = (int) (high - low);
        int step = Math.max(1, (int) Math.ceil(decades / 8.0));
        for (int e = (int) low; e <= high; e += step) {
            double y = py + PLOT_H - (e - low) / (high - low) * PLOT_H;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    px, y, px + PLOT_W, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">1e%d</text>%n",
                    px - 5, y + 4, e));
        }
        for (int d : projections) {
            double x = px + Math.log(d) / Math.log(2) / xMax * PLOT_W;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n",
                    x, py, x, py + PLOT_H));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                    x, py + PLOT_H + 15, d));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">d (log2 scale)</text>%n",
                px + PLOT_W / 2, py + PLOT_H + 32));
        String clip = "panel-" + x0 + "-" + y0;
        svg.append(String.format(Locale.ROOT, "<clipPath id=\"%s\"><rect x=\"%d\" y=\"%d\" width=\"%d\""
                + " height=\"%d\"/></clipPath>%n", clip, px, py, PLOT_W, PLOT_H));
        for (Series s : lines) {
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                if (!(s.y()[i] > 0) || !Double.isFinite(s.y()[i])) {
                    continue;
                }
                double x = px + s.x()[i] / xMax * PLOT_W;
                double y = py + PLOT_H - (Math.log10(s.y()[i]) - low) / (high - low) * PLOT_H;
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
                if (s.markers()) {
                    svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n",
                            x, y, s.color()));
                }
            }
            String dash = s.dash().isEmpty() ? "" : " stroke-dasharray=\"" + s.dash() + "\"";
            svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\"%s"
                    + " clip-path=\"url(#%s)\"/>%n", path, s.color(), dash, clip));
        }
    }

    private static void legend(StringBuilder svg, int x, int y) {
        List<String[]> items = new ArrayList<>();
        items.add(new String[] {GAMMA, "", "measured, gamma = d^(-1/2) (engine)"});
        items.add(new String[] {ONE, "", "measured, gamma = 1"});
        items.add(new String[] {"black", "6,4", "bound: e^(s^2) - 1 (top), Var[g'] e^(s^2) (bottom)"});
        items.add(new String[] {ONE, PREDICTION, "gamma = 1 if the factors were independent: (1+s^2)^d - 1 (top), d Var[g'] (1+s^2)^(d-1) (bottom); clipped"});
        int col = 0;
        for (String[] item : items) {
            int ix = x;
            int iy = y + col * 18;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                    + " stroke-width=\"2\"%s/>%n", ix, iy - 4, ix + 30, iy - 4, item[0],
                    item[1].isEmpty() ? "" : " stroke-dasharray=\"" + item[1] + "\""));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", ix + 36, iy, escape(item[2])));
            col++;
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
