package io.lrnn.bench.claims;

import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.Model;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Task;
import io.lrnn.engine.UnivariateActivation;
import io.lrnn.engine.train.TrainingConfig;
import io.lrnn.engine.train.TrainingData;
import io.lrnn.engine.train.TrainingResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Tabular data (docs/results.md, section tabular): one LRNN layer against a two-layer tanh MLP
 * of (nearly) the same parameter count on scikit-learn's bundled diabetes (regression),
 * breast_cancer and wine (classification) tables, copied into bench/claims/data. Each seed fixes
 * a 75/25 train/test split, the trainer's 20 % validation split (early stopping, best weights
 * kept), initialisation and shuffling; both models get the same Adam settings and epochs.
 * Regression also gets an ordinary least-squares line (EJML) as a reference.
 *
 * <pre>bench/claims.sh tabular      # or: --results FILE --data DIR --seeds K --epochs N</pre>
 */
public final class Tabular {

    static final double TEST_SHARE = 0.25;
    static final int BATCH = 32;
    static final double RATE = 3e-3;
    static final int PATIENCE = 30;
    /** LRNN shapes compared: r neurons, d projections, h hidden units per univariate function. */
    static final List<Shape> SHAPES = List.of(new Shape(16, 4, 8), new Shape(4, 2, 4));

    /** One LRNN shape (sin, omega0 1, no LayerNorm). */
    record Shape(int neurons, int projection, int hidden) {
        @Override
        public String toString() {
            return "LRNN 1 x " + neurons + ", d " + projection + ", h " + hidden;
        }
    }

    /** Test metrics of one model on one split: MSE and R^2, or accuracy and cross-entropy. */
    record Metrics(double first, double second) {
    }

    /** One data set's per-seed metrics for the LRNN, the MLP and (regression) least squares. */
    record Outcome(TabularData table, Shape shape, long lrnnParams, long mlpParams, int mlpWidth, int trainRows, int testRows,
                   List<Metrics> lrnn, List<Metrics> mlp, List<Metrics> linear, double seconds) {
    }

    private Tabular() {
    }

    public static void main(String[] args) throws Exception {
        Path results = ClaimsReport.resultsPath(args);
        Path dir = Path.of(orDefault(ClaimsReport.option(args, "--data"),
                results.toAbsolutePath().getParent().resolveSibling("bench/claims/data").toString()));
        int seeds = Integer.parseInt(orDefault(ClaimsReport.option(args, "--seeds"), "10"));
        int epochs = Integer.parseInt(orDefault(ClaimsReport.option(args, "--epochs"), "300"));
        long started = System.nanoTime();
        List<Outcome> outcomes = new ArrayList<>();
        for (TabularData table : List.of(TabularData.regression(dir.resolve("diabetes.csv")),
                TabularData.classification(dir.resolve("breast_cancer.csv")),
                TabularData.classification(dir.resolve("wine_data.csv")))) {
            for (Shape shape : SHAPES) {
                Outcome o = run(table, shape, seeds, epochs);
                outcomes.add(o);
                System.out.printf("%s %s: LRNN %s / %s, MLP %s / %s (%.0f s)%n", table.name(), shape,
                        ClaimsReport.spread(column(o.lrnn(), true)), ClaimsReport.spread(column(o.lrnn(), false)),
                        ClaimsReport.spread(column(o.mlp(), true)), ClaimsReport.spread(column(o.mlp(), false)),
                        o.seconds());
            }
        }
        double minutes = (System.nanoTime() - started) / 60e9;
        String body = report(outcomes, seeds, epochs, minutes, args);
        System.out.println(body);
        ClaimsReport.replaceSection(results, "tabular", body);
    }

    /** The LRNN of {@code shape} for {@code inputs} features and {@code outputs} outputs. */
    static NetworkSpec lrnn(Shape shape, int inputs, int outputs, Task task) {
        return new NetworkSpec(inputs, List.of(new LrnnLayerSpec(shape.neurons(), shape.projection(), shape.hidden(),
                UnivariateActivation.SIN, 1.0, false, false)), outputs, task);
    }

    static Outcome run(TabularData table, Shape shape, int seeds, int epochs) {
        Task task = table.isClassification() ? Task.CLASSIFICATION : Task.REGRESSION;
        int inputs = table.data().features().numCols;
        int outputs = table.isClassification() ? table.classes().size() : 1;
        NetworkSpec lrnn = lrnn(shape, inputs, outputs, task);
        long lrnnParams = ClaimsModels.parameterCount(lrnn);
        NetworkSpec mlp = ClaimsModels.tanhMlpNear(lrnnParams, inputs, 2, outputs, task);
        List<Metrics> a = new ArrayList<>();
        List<Metrics> b = new ArrayList<>();
        List<Metrics> linear = new ArrayList<>();
        long started = System.nanoTime();
        TabularData.Split split = null;
        for (long seed = 1; seed <= seeds; seed++) {
            split = table.split(TEST_SHARE, seed);
            TrainingConfig config = TrainingConfig.builder().epochs(epochs).batchSize(BATCH).learningRate(RATE)
                    .validation(0.2, PATIENCE).seed(seed).progressEvery(Integer.MAX_VALUE).build();
            a.add(metrics(ClaimsModels.train(lrnn, split.train(), config), split.test()));
            b.add(metrics(ClaimsModels.train(mlp, split.train(), config), split.test()));
            if (!table.isClassification()) {
                linear.add(leastSquares(split.train(), split.test()));
            }
        }
        return new Outcome(table, shape, lrnnParams, ClaimsModels.parameterCount(mlp), mlp.layers().get(0).width(),
                split.train().rows(), split.test().rows(), a, b, linear, (System.nanoTime() - started) / 1e9);
    }

    /** MSE and R^2 (regression) or accuracy and mean cross-entropy (classification) on {@code test}. */
    static Metrics metrics(TrainingResult result, TrainingData test) {
        Model model = result.model();
        if (model.task() == Task.REGRESSION) {
            double mse = ClaimsModels.mse(model, test.features(), test.targets());
            return new Metrics(mse, 1 - mse / ClaimsModels.variance(test.targets()));
        }
        DMatrixRMaj p = model.predict(test.features());
        int correct = 0;
        double entropy = 0;
        for (int row = 0; row < p.numRows; row++) {
            int label = (int) test.targets().get(row, 0);
            int best = 0;
            for (int k = 1; k < p.numCols; k++) {
                best = p.get(row, k) > p.get(row, best) ? k : best;
            }
            correct += best == label ? 1 : 0;
            entropy -= Math.log(Math.max(p.get(row, label), 1e-15));
        }
        return new Metrics((double) correct / p.numRows, entropy / p.numRows);
    }

    /** Ordinary least squares with an intercept, fitted on {@code train}: MSE and R^2 on {@code test}. */
    static Metrics leastSquares(TrainingData train, TrainingData test) {
        DMatrixRMaj design = withIntercept(train.features());
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.leastSquares(design.numRows,
                design.numCols);
        if (!solver.setA(design)) {
            throw new IllegalStateException("least squares: the design matrix is singular");
        }
        DMatrixRMaj beta = new DMatrixRMaj(design.numCols, 1);
        solver.solve(train.targets().copy(), beta);
        DMatrixRMaj predicted = new DMatrixRMaj(test.rows(), 1);
        org.ejml.dense.row.CommonOps_DDRM.mult(withIntercept(test.features()), beta, predicted);
        double mse = 0;
        for (int row = 0; row < test.rows(); row++) {
            double e = predicted.get(row, 0) - test.targets().get(row, 0);
            mse += e * e;
        }
        mse /= test.rows();
        return new Metrics(mse, 1 - mse / ClaimsModels.variance(test.targets()));
    }

    private static DMatrixRMaj withIntercept(DMatrixRMaj x) {
        DMatrixRMaj out = new DMatrixRMaj(x.numRows, x.numCols + 1);
        for (int row = 0; row < x.numRows; row++) {
            out.set(row, 0, 1);
            for (int col = 0; col < x.numCols; col++) {
                out.set(row, col + 1, x.get(row, col));
            }
        }
        return out;
    }

    static double[] column(List<Metrics> metrics, boolean first) {
        return metrics.stream().mapToDouble(m -> first ? m.first() : m.second()).toArray();
    }

    private static int wins(List<Metrics> lrnn, List<Metrics> mlp, boolean higherIsBetter) {
        int wins = 0;
        for (int s = 0; s < lrnn.size(); s++) {
            double a = lrnn.get(s).first();
            double b = mlp.get(s).first();
            wins += higherIsBetter ? (a > b ? 1 : 0) : (a < b ? 1 : 0);
        }
        return wins;
    }

    private static String report(List<Outcome> outcomes, int seeds, int epochs, double minutes, String[] args) {
        List<List<String>> regression = new ArrayList<>();
        regression.add(List.of("data set (rows train / test)", "model", "params", "test MSE, mean [min, max]",
                "test R^2, mean [min, max]", "lower MSE than MLP"));
        List<List<String>> classification = new ArrayList<>();
        classification.add(List.of("data set (rows train / test, classes)", "model", "params",
                "test accuracy, mean [min, max]", "test cross-entropy, mean [min, max]", "higher accuracy than MLP"));
        for (Outcome o : outcomes) {
            String name = o.table().name() + " (" + o.trainRows() + " / " + o.testRows()
                    + (o.table().isClassification() ? ", " + o.table().classes().size() : "") + ")";
            boolean cls = o.table().isClassification();
            List<List<String>> rows = cls ? classification : regression;
            rows.add(List.of(name, o.shape().toString(),
                    String.valueOf(o.lrnnParams()), ClaimsReport.spread(column(o.lrnn(), true)),
                    ClaimsReport.spread(column(o.lrnn(), false)),
                    wins(o.lrnn(), o.mlp(), cls) + " / " + o.lrnn().size()
                            + (cls ? " (ties " + ties(o.lrnn(), o.mlp()) + ")" : "")));
            rows.add(List.of("", "tanh MLP 2 x " + o.mlpWidth(), String.valueOf(o.mlpParams()),
                    ClaimsReport.spread(column(o.mlp(), true)), ClaimsReport.spread(column(o.mlp(), false)), ""));
            if (!o.linear().isEmpty() && o.shape().equals(SHAPES.get(SHAPES.size() - 1))) {
                rows.add(List.of("", "least squares (EJML)", String.valueOf(o.table().data().features().numCols + 1),
                        ClaimsReport.spread(column(o.linear(), true)), ClaimsReport.spread(column(o.linear(), false)),
                        ""));
            }
        }
        String command = ClaimsReport.command("tabular", args);
        return """
                ## Tabular: scikit-learn's bundled data sets

                Command: `%s` (class `io.lrnn.bench.claims.Tabular`), %.1f minutes.
                %s

                Data: `diabetes` (regression, 10 features), `breast_cancer` (2 classes, 30 features) and
                `wine` (3 classes, 13 features) from Debian's `python3-sklearn` 1.2.1+dfsg-1, copied into
                `bench/claims/data/` (README.md there: paths, licence BSD-3-Clause). Seeds 1..%d: each seed
                fixes a %d/%d train/test split, the trainer's 20 %% validation split of the training rows
                (early stopping with patience %d epochs, best weights kept), initialisation and shuffling.
                LRNN: one layer (shapes in the tables), sin, omega0 = 1, no LayerNorm; each LRNN is paired with
                the two-layer tanh MLP whose parameter count is closest (a larger and a smaller pair). Both: Adam, rate %s with cosine decay,
                batch %d, at most %d epochs; inputs (and regression targets) standardised by the trainer.
                MSE in the target's units; R^2 = 1 - MSE / Var[y_test]; cross-entropy in nats.

                %s
                %s
                %s""".formatted(command, minutes, ClaimsReport.machine(), seeds, Math.round(100 * (1 - TEST_SHARE)),
                Math.round(100 * TEST_SHARE), PATIENCE, ClaimsReport.number(RATE),
                BATCH, epochs, ClaimsReport.table(regression), ClaimsReport.table(classification), reading(outcomes));
    }

    /** The reading under the tables, from the measured figures. */
    private static String reading(List<Outcome> outcomes) {
        List<String> better = new ArrayList<>();
        List<String> worse = new ArrayList<>();
        String linear = "";
        for (Outcome o : outcomes) {
            boolean cls = o.table().isClassification();
            double lrnn = ClaimsReport.mean(column(o.lrnn(), true));
            double mlp = ClaimsReport.mean(column(o.mlp(), true));
            boolean lrnnBetter = cls ? lrnn > mlp : lrnn < mlp;
            String metric = cls ? "accuracy" : "R^2";
            String line = o.table().name() + " " + o.shape() + " (" + metric + " "
                    + ClaimsReport.number(cls ? lrnn : ClaimsReport.mean(column(o.lrnn(), false))) + " vs "
                    + ClaimsReport.number(cls ? mlp : ClaimsReport.mean(column(o.mlp(), false))) + ")";
            (lrnnBetter ? better : worse).add(line);
            double linearR2 = o.linear().isEmpty() ? Double.NaN : ClaimsReport.mean(column(o.linear(), false));
            if (linearR2 > ClaimsReport.mean(column(o.lrnn(), false))
                    && linearR2 > ClaimsReport.mean(column(o.mlp(), false)) && linear.isEmpty()) {
                linear = " On diabetes plain least squares (R^2 " + ClaimsReport.number(linearR2)
                        + ") beats both networks: on " + o.trainRows() + " training rows a linear fit is the best of "
                        + "the three models.";
            }
        }
        StringBuilder out = new StringBuilder("Reading: the LRNN does not beat the tanh MLP on these tables. ");
        if (!worse.isEmpty()) {
            out.append("Its mean is worse on ").append(String.join(", ", worse)).append(". ");
        }
        if (!better.isEmpty()) {
            out.append("It is better on average only on ").append(String.join(", ", better)).append(". ");
        }
        out.append("The differences are within the spread over splits (see min/max), so the fair summary is "
                + "\"on par, not better\"; the shapes and settings were chosen once, not tuned for either model.")
                .append(linear);
        return out.toString();
    }

    private static int ties(List<Metrics> lrnn, List<Metrics> mlp) {
        int ties = 0;
        for (int s = 0; s < lrnn.size(); s++) {
            ties += lrnn.get(s).first() == mlp.get(s).first() ? 1 : 0;
        }
        return ties;
    }

    private static String orDefault(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
