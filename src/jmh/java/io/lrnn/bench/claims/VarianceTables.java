package io.lrnn.bench.claims;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The variance section of docs/results.md: tables per omega, averaged over seeds. */
final class VarianceTables {

    private VarianceTables() {
    }

    /** The points of one (omega, d), one per seed. */
    static List<Variance.Point> at(List<Variance.Point> points, double omega, int d) {
        return points.stream().filter(p -> p.omega() == omega && p.d() == d).toList();
    }

    /** Mean over seeds of {@code field}. */
    static double mean(List<Variance.Point> points, ToDoubleFunction<Variance.Point> field) {
        return points.stream().mapToDouble(field).average().orElse(Double.NaN);
    }

    private static String range(List<Variance.Point> points, ToDoubleFunction<Variance.Point> field) {
        double min = points.stream().mapToDouble(field).min().orElse(Double.NaN);
        double max = points.stream().mapToDouble(field).max().orElse(Double.NaN);
        return ClaimsReport.number(min) + " - " + ClaimsReport.number(max);
    }

    static String report(List<Variance.Point> points, double[] omegas, int[] projections, int seeds, int rows,
                         double minutes, String[] args) {
        StringBuilder tables = new StringBuilder();
        for (double omega : omegas) {
            List<List<String>> output = new ArrayList<>();
            output.add(List.of("d", "s^2 = Var[g]", "E[P]", "Var[P], gamma = d^-1/2", "(1+s^2/d)^d - 1",
                    "bound e^(s^2) - 1", "Var[P] / bound (seeds)", "Var[P], gamma = 1", "(1+s^2)^d - 1"));
            List<List<String>> gradient = new ArrayList<>();
            gradient.add(List.of("d", "Var[g']", "sum_j Var[dP/dZ_j], gamma = d^-1/2", "per factor (/ d)",
                    "bound Var[g'] e^(s^2)", "sum / bound (seeds)", "sum_j Var[dP/dZ_j], gamma = 1",
                    "d Var[g'] (1+s^2)^(d-1)"));
            for (int d : projections) {
                List<Variance.Point> ps = at(points, omega, d);
                double s2 = mean(ps, Variance.Point::s2);
                double dv = mean(ps, Variance.Point::derivativeVar);
                output.add(List.of(String.valueOf(d), ClaimsReport.number(s2),
                        ClaimsReport.number(mean(ps, Variance.Point::meanP)),
                        ClaimsReport.number(mean(ps, Variance.Point::varP)),
                        ClaimsReport.number(Math.pow(1 + s2 / d, d) - 1),
                        ClaimsReport.number(mean(ps, Variance.Point::bound)),
                        range(ps, p -> p.varP() / p.bound()),
                        ClaimsReport.number(mean(ps, Variance.Point::varPOne)),
                        ClaimsReport.number(Math.pow(1 + s2, d) - 1)));
                double grad = mean(ps, Variance.Point::grad);
                gradient.add(List.of(String.valueOf(d), ClaimsReport.number(dv), ClaimsReport.number(grad),
                        ClaimsReport.number(grad / d), ClaimsReport.number(mean(ps, Variance.Point::gradBound)),
                        range(ps, p -> p.grad() / p.gradBound()),
                        ClaimsReport.number(mean(ps, Variance.Point::gradOne)),
                        ClaimsReport.number(d * dv * Math.pow(1 + s2, d - 1))));
            }
            tables.append("Output, omega = ").append(ClaimsReport.number(omega)).append(":\n\n")
                    .append(ClaimsReport.table(output)).append("\nGradient, omega = ")
                    .append(ClaimsReport.number(omega)).append(":\n\n").append(ClaimsReport.table(gradient))
                    .append("\n");
        }
        double forward = points.stream().mapToDouble(p -> Math.max(p.forwardError(), p.forwardErrorOne())).max()
                .orElse(Double.NaN);
        double backward = points.stream().mapToDouble(Variance.Point::backwardError).max().orElse(Double.NaN);
        String command = ClaimsReport.command("variance", args);
        return """
                ## Variance: gamma = d^(-1/2) keeps the product's variance bounded

                Command: `%s` (class `io.lrnn.bench.claims.Variance`), %.1f minutes.
                %s

                One freshly initialised LRNN layer of the engine (`Network.initialize`, r = %d neurons,
                h = %d, sin, no LayerNorm, %d inputs uniform in [-1, 1]), %d input rows, seeds 1..%d for each
                (omega, d); figures are means over the seeds, ratios are given as min - max over them.
                Variances are pooled over rows and neurons; s^2 and Var[g'] over rows, neurons and factors.
                `LrnnLayerSpec` has no gamma setting (its `gamma()` is always d^(-1/2)), so the experiment
                evaluates each initialised g_ij and g'_ij itself from the layer's tensors (W, b, a, c, v, e) and
                forms P = prod_j (1 + gamma g_ij) and dP/dZ_ij = gamma g'_ij prod_(k != j) (1 + gamma g_ik)
                for gamma = d^(-1/2) and for gamma = 1. These agree with the engine: its forward output
                (head set to the identity, so the output is P) for gamma = d^(-1/2), and for gamma = 1 the
                output of the same layer with v and e multiplied by sqrt(d), differ from the recomputation by
                at most %s (relative to max(1, |P|)); its backward pass (L = sum_i P_i, one row at a time,
                the projection-bias gradient is dP_i/dZ_ij; %d rows each) by at most %s.
                The gradient columns are the summed variance over the d factors of dP/dZ_j (the gradient
                reaching each factor's pre-activation), against LRNN.md's bound Var[g'] e^(s^2).

                ![Var[P] and summed gradient variance against d](results-variance.svg)

                %s
                %s""".formatted(command, minutes, ClaimsReport.machine(), Variance.NEURONS, Variance.HIDDEN,
                Variance.INPUTS, rows, seeds, ClaimsReport.number(forward), Variance.BACKWARD_ROWS,
                ClaimsReport.number(backward), tables, reading(points, omegas, projections));
    }

    /** The reading under the tables, from the measured figures. */
    private static String reading(List<Variance.Point> points, double[] omegas, int[] projections) {
        double lowP = points.stream().mapToDouble(p -> p.varP() / p.bound()).min().orElse(Double.NaN);
        double highP = points.stream().mapToDouble(p -> p.varP() / p.bound()).max().orElse(Double.NaN);
        List<Variance.Point> deep = points.stream().filter(p -> p.d() > 1).toList();
        double lowG = deep.stream().mapToDouble(p -> p.grad() / p.gradBound()).min().orElse(Double.NaN);
        double highG = points.stream().mapToDouble(p -> p.grad() / p.gradBound()).max().orElse(Double.NaN);
        int last = projections[projections.length - 1];
        StringBuilder out = new StringBuilder("Reading: with gamma = d^(-1/2), Var[P] stays between ")
                .append(ClaimsReport.number(lowP)).append(" and ").append(ClaimsReport.number(highP))
                .append(" times e^(s^2) - 1 for every d up to ").append(last)
                .append(" (each seed separately) and E[P] near 1; the summed gradient variance stays between ")
                .append(ClaimsReport.number(lowG)).append(" (d > 1) and ").append(ClaimsReport.number(highG))
                .append(" times Var[g'] e^(s^2), while each factor's share falls roughly like 1/d. ")
                .append("The bound is not a strict ceiling here: the factors of one neuron see the same two "
                        + "inputs, so they are not independent, and a few heavy-tailed neurons can lift one "
                        + "seed's pooled variance above it (up to the factor above). With gamma = 1 ");
        List<String> parts = new ArrayList<>();
        for (double omega : omegas) {
            List<Variance.Point> ps = points.stream().filter(p -> p.omega() == omega).toList();
            Variance.Point max = ps.stream().max(java.util.Comparator.comparingDouble(Variance.Point::varPOne))
                    .orElseThrow();
            double atLast = mean(at(points, omega, last), Variance.Point::varPOne);
            parts.add("at omega " + ClaimsReport.number(omega) + " Var[P] reaches " + ClaimsReport.number(max.varPOne())
                    + " (d = " + max.d() + ", one seed) and is " + ClaimsReport.number(atLast) + " at d = " + last);
        }
        out.append(String.join("; ", parts)).append(", and the gradients follow. Beyond d of about 16 the measured "
                + "gamma = 1 figures fall far below the independent-factor formula (1+s^2)^d - 1: a sample of "
                + "rows x neurons cannot hold the rare huge products that dominate that expectation, and at "
                + "omega 1 the Glorot projection (its scale shrinks with d) leaves most products near 0, so the "
                + "variance collapses instead of exploding. Either way its scale depends on d by orders of "
                + "magnitude; with gamma = d^(-1/2) it does not.");
        return out.toString();
    }
}
