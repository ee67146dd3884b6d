package io.lrnn.bench.claims;

import io.lrnn.engine.train.TrainingData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * The small tabular data sets of bench/claims/data (see its README.md) and seeded train/test
 * splits of them.
 *
 * @param name    file name without extension
 * @param data    all rows: raw features, and the target (regression) or class index
 * @param classes class labels (classification) or empty (regression)
 */
public record TabularData(String name, TrainingData data, List<String> classes) {

    /** Rows of one split. */
    public record Split(TrainingData train, TrainingData test) {
    }

    /**
     * A CSV with a header row of names, the target in the last column (diabetes.csv).
     */
    public static TabularData regression(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv).stream().filter(l -> !l.isBlank()).toList();
        List<String> names = List.of(lines.get(0).split(","));
        int features = names.size() - 1;
        DMatrixRMaj x = new DMatrixRMaj(lines.size() - 1, features);
        DMatrixRMaj y = new DMatrixRMaj(lines.size() - 1, 1);
        for (int b = 1; b < lines.size(); b++) {
            double[] row = numbers(csv, b, lines.get(b), features + 1);
            System.arraycopy(row, 0, x.data, (b - 1) * features, features);
            y.set(b - 1, 0, row[features]);
        }
        return new TabularData(baseName(csv), new TrainingData(x, y, names.subList(0, features),
                List.of(names.get(features)), csv.getFileName().toString()), List.of());
    }

    /**
     * A CSV in scikit-learn's bundled layout (breast_cancer.csv, wine_data.csv): a first line
     * "rows,features,label0,label1,...", then rows of features with the class index last.
     * Features are named f1, f2, ... (the file has no names).
     */
    public static TabularData classification(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv).stream().filter(l -> !l.isBlank()).toList();
        String[] header = lines.get(0).split(",");
        int rows = Integer.parseInt(header[0].strip());
        int features = Integer.parseInt(header[1].strip());
        List<String> classes = Arrays.stream(header, 2, header.length).map(String::strip).toList();
        if (lines.size() - 1 != rows) {
            throw new IOException(csv + ": expected " + rows + " rows (header) but found " + (lines.size() - 1));
        }
        DMatrixRMaj x = new DMatrixRMaj(rows, features);
        DMatrixRMaj y = new DMatrixRMaj(rows, 1);
        for (int b = 1; b <= rows; b++) {
            double[] row = numbers(csv, b, lines.get(b), features + 1);
            System.arraycopy(row, 0, x.data, (b - 1) * features, features);
            y.set(b - 1, 0, row[features]);
        }
        List<String> inputs = new ArrayList<>();
        for (int i = 1; i <= features; i++) {
            inputs.add("f" + i);
        }
        return new TabularData(baseName(csv), new TrainingData(x, y, inputs, classes, csv.getFileName().toString()),
                classes);
    }

    public boolean isClassification() {
        return !classes.isEmpty();
    }

    /**
     * A random split with {@code testShare} of the rows held out, fixed by {@code seed}
     * (Fisher-Yates with SplittableRandom).
     */
    public Split split(double testShare, long seed) {
        int n = data.rows();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int test = (int) Math.round(n * testShare);
        return new Split(rows(Arrays.copyOfRange(order, test, n)), rows(Arrays.copyOf(order, test)));
    }

    private TrainingData rows(int[] indices) {
        DMatrixRMaj x = new DMatrixRMaj(indices.length, data.features().numCols);
        DMatrixRMaj y = new DMatrixRMaj(indices.length, data.targets().numCols);
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(data.features().data, indices[k] * x.numCols, x.data, k * x.numCols, x.numCols);
            System.arraycopy(data.targets().data, indices[k] * y.numCols, y.data, k * y.numCols, y.numCols);
        }
        return new TrainingData(x, y, data.inputs(), data.outputs(), data.digest());
    }

    private static double[] numbers(Path csv, int line, String text, int expected) throws IOException {
        String[] cells = text.split(",");
        if (cells.length != expected) {
            throw new IOException(csv + " line " + (line + 1) + ": expected " + expected + " values but found "
                    + cells.length);
        }
        double[] values = new double[expected];
        for (int i = 0; i < expected; i++) {
            values[i] = Double.parseDouble(cells[i].strip());
        }
        return values;
    }

    private static String baseName(Path csv) {
        String file = csv.getFileName().toString();
        return file.endsWith(".csv") ? file.substring(0, file.length() - 4) : file;
    }
}
