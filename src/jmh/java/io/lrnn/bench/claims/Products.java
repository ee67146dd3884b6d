package io.lrnn.bench.claims;

import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Task;
import io.lrnn.engine.UnivariateActivation;
import io.lrnn.engine.train.TrainingConfig;
import io.lrnn.engine.train.TrainingData;
import io.lrnn.engine.train.TrainingResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.ejml.data.DMatrixRMaj;

/**
 * The multiplicative-structure claim (docs/results.md, section products): on y = prod_i f(x_i),
 * x uniform in [-1, 1]^n, one LRNN layer against a two-layer tanh MLP of (nearly) the same
 * parameter count, both trained by the engine's Trainer with the same Adam, rate, cosine schedule,
 * batch and number of steps, over several seeds (each seed draws its own training set, test set
 * and initialisation). Prints the table and replaces the products section of the results file.
 *
 * <pre>bench/claims.sh products      # options: --results FILE --steps N --seeds K --train ROWS --only n</pre>
 */
public final class Products {

    static final int TEST_ROWS = 2000;
    static final int BATCH = 128;
    static final double RATE = 0.01;
    /** LRNN shape: r neurons, d = n projections, h hidden units per univariate function. */
    static final int NEURONS = 8;
    static final int HIDDEN = 8;

    /** One target function: prod_i factor(x_i) in {@code inputs} dimensions. */
    record Target(String name, int inputs, DoubleUnaryOperator factor) {
    }

    /** Per-seed held-out MSE of both models. */
    record Outcome(Target target, int trainRows, long lrnnParams, long mlpParams, int mlpWidth, double[] lrnnMse,
                   double[] mlpMse, double targetVariance, double seconds) {
    }

    private Products() {
    }

    public static void main(String[] args) throws Exception {
        long steps = Long.parseLong(orDefault(ClaimsReport.option(args, "--steps"), "8000"));
        int seeds = Integer.parseInt(orDefault(ClaimsReport.option(args, "--seeds"), "3"));
        Path results = ClaimsReport.resultsPath(args);
        int trainRows = Integer.parseInt(orDefault(ClaimsReport.option(args, "--train"), "8000"));
        DoubleUnaryOperator sinPi = x -> Math.sin(Math.PI * x);
        List<Target> targets = List.of(new Target("prod sin(pi x_i)", 2, sinPi),
                new Target("prod sin(pi x_i)", 4, sinPi), new Target("prod sin(pi x_i)", 8, sinPi),
                new Target("x1 x2 x3", 3, x -> x));
        long started = System.nanoTime();
        List<Outcome> outcomes = new ArrayList<>();
        String only = ClaimsReport.option(args, "--only");
        for (Target target : targets) {
            if (only != null && !only.equals(String.valueOf(target.inputs()))) {
                continue;
            }
            Outcome outcome = run(target, steps, seeds, trainRows);
            outcomes.add(outcome);
            System.out.printf("%s n=%d: LRNN %s, MLP %s (%.0f s)%n", target.name(), target.inputs(),
                    ClaimsReport.spread(outcome.lrnnMse()), ClaimsReport.spread(outcome.mlpMse()), outcome.seconds());
        }
        double minutes = (System.nanoTime() - started) / 60e9;
        String body = report(outcomes, steps, seeds, trainRows, minutes, args);
        System.out.println(body);
        ClaimsReport.replaceSection(results, "products", body);
    }

    static Outcome run(Target target, long steps, int seeds, int trainRows) {
        int n = target.inputs();
        NetworkSpec lrnn = new NetworkSpec(n, List.of(new LrnnLayerSpec(NEURONS, n, HIDDEN, UnivariateActivation.SIN,
                1.0, false, false)), 1, Task.REGRESSION);
        long lrnnParams = ClaimsModels.parameterCount(lrnn);
        NetworkSpec mlp = ClaimsModels.tanhMlpNear(lrnnParams, n, 2, 1, Task.REGRESSION);
        double[] lrnnMse = new double[seeds];
        double[] mlpMse = new double[seeds];
        double variance = 0;
        long started = System.nanoTime();
        for (int s = 0; s < seeds; s++) {
            long seed = s + 1;
            TrainingData train = sample(target, trainRows, 1000 * seed + n);
            TrainingData test = sample(target, TEST_ROWS, 2000 * seed + n);
            TrainingConfig config = ClaimsModels.config(steps, BATCH, RATE, seed);
            TrainingResult a = ClaimsModels.train(lrnn, train, config);
            TrainingResult b = ClaimsModels.train(mlp, train, config);
            lrnnMse[s] = ClaimsModels.mse(a.model(), test.features(), test.targets());
            mlpMse[s] = ClaimsModels.mse(b.model(), test.features(), test.targets());
            variance += ClaimsModels.variance(test.targets()) / seeds;
        }
        return new Outcome(target, trainRows, lrnnParams, ClaimsModels.parameterCount(mlp), mlp.layers().get(0).width(),
                lrnnMse, mlpMse, variance, (System.nanoTime() - started) / 1e9);
    }

    /** {@code rows} points x uniform in [-1, 1]^n with y = prod_i f(x_i). */
    static TrainingData sample(Target target, int rows, long seed) {
        int n = target.inputs();
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(rows, n);
        DMatrixRMaj y = new DMatrixRMaj(rows, 1);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("x" + (i + 1));
        }
        for (int b = 0; b < rows; b++) {
            double product = 1;
            for (int i = 0; i < n; i++) {
                double v = 2 * random.nextDouble() - 1;
                x.set(b, i, v);
                product *= target.factor().applyAsDouble(v);
            }
            y.set(b, 0, product);
        }
        return new TrainingData(x, y, names, List.of("y"), null);
    }

    private static String report(List<Outcome> outcomes, long steps, int seeds, int trainRows, double minutes,
                                 String[] args) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("target", "n", "LRNN params", "MLP params (2 x width)", "Var[y]",
                "LRNN test MSE, mean [min, max]", "MLP test MSE, mean [min, max]", "MLP / LRNN (mean)",
                "LRNN better"));
        for (Outcome o : outcomes) {
            int wins = 0;
            for (int s = 0; s < o.lrnnMse().length; s++) {
                wins += o.lrnnMse()[s] < o.mlpMse()[s] ? 1 : 0;
            }
            rows.add(List.of(o.target().name(), String.valueOf(o.target().inputs()), String.valueOf(o.lrnnParams()),
                    o.mlpParams() + " (2 x " + o.mlpWidth() + ")", ClaimsReport.number(o.targetVariance()),
                    ClaimsReport.spread(o.lrnnMse()), ClaimsReport.spread(o.mlpMse()),
                    ClaimsReport.number(ClaimsReport.mean(o.mlpMse()) / ClaimsReport.mean(o.lrnnMse())),
                    wins + " / " + o.lrnnMse().length));
        }
        String command = ClaimsReport.command("products", args);
        return """
                ## Products: multiplicative structure

                Command: `%s` (class `io.lrnn.bench.claims.Products`), %.1f minutes.
                %s

                y = prod_i f(x_i) with x uniform in [-1, 1]^n; %d training rows and %d held-out rows, both
                drawn anew for each seed (seeds 1..%d; the seed also fixes initialisation and shuffling).
                LRNN: one layer, r = %d neurons, d = n projections, h = %d, sin, omega 1, no LayerNorm.
                MLP: two tanh layers of the width whose parameter count is closest to the LRNN's.
                Both: Adam, rate %s with cosine decay, batch %d, %d steps, no validation split; inputs and
                targets standardised by the trainer. MSE in the target's own units on the held-out rows
                (Var[y] is the MSE of predicting the mean).

                %s
                %s
                """.formatted(command, minutes, ClaimsReport.machine(), trainRows, TEST_ROWS, seeds, NEURONS,
                HIDDEN, ClaimsReport.number(RATE), BATCH, steps, ClaimsReport.table(rows), reading(outcomes));
    }

    /** The reading under the table, from the measured figures. */
    private static String reading(List<Outcome> outcomes) {
        List<String> won = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        for (Outcome o : outcomes) {
            double lrnn = ClaimsReport.mean(o.lrnnMse());
            double mlp = ClaimsReport.mean(o.mlpMse());
            String name = o.target().name() + " (n = " + o.target().inputs() + ")";
            boolean always = true;
            for (int s = 0; s < o.lrnnMse().length; s++) {
                always &= o.lrnnMse()[s] < o.mlpMse()[s];
            }
            if (always) {
                won.add(name + " (MLP / LRNN mean MSE " + ClaimsReport.number(mlp / lrnn) + ")");
            } else {
                lost.add(name + ": LRNN " + ClaimsReport.number(lrnn) + ", MLP " + ClaimsReport.number(mlp)
                        + " against Var[y] = " + ClaimsReport.number(o.targetVariance())
                        + (Math.min(lrnn, mlp) > 0.5 * o.targetVariance()
                        ? ", so neither model learned it: both are near (the LRNN "
                        + (lrnn > o.targetVariance() ? "above" : "below") + ") the MSE of predicting the mean"
                        : ""));
            }
        }
        StringBuilder out = new StringBuilder("Reading: ");
        if (!won.isEmpty()) {
            out.append("the LRNN has the lower held-out MSE on every seed for ").append(String.join(", ", won))
                    .append(", at the same parameter count and training budget. ");
        }
        if (!lost.isEmpty()) {
            out.append("It does not win on ").append(String.join("; ", lost)).append(". ")
                    .append("The 8-D product is the hard case: at initialisation its only useful term, the product of "
                            + "all 8 factors, enters prod_j (1 + gamma g_j) scaled by gamma^8 = 1/4096, and the "
                            + "target is a sign pattern over 2^8 cells sampled by a few thousand rows; more "
                            + "rows (16,000), more steps (15,000) or other rates (0.003, 0.03) did not make the LRNN "
                            + "learn it either in exploratory runs (not in this table). ");
        }
        out.append("These targets are exactly products of univariate functions, the structure one LRNN neuron "
                + "represents; they show the claim where it applies, not a general advantage.");
        return out.toString();
    }

    private static String orDefault(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
