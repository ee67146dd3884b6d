package io.lrnn.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * A network (hidden layers and a linear head) bound to its parameters. Evaluation is
 * thread-safe as long as nobody changes the parameters meanwhile: each caller brings its own
 * {@link Workspace}. The head's raw output is returned: regression values, or logits for
 * classification (see {@link #softmaxInPlace}).
 */
public final class Network {

    /** Rows passed through the layers at once; bounds the workspace size for large batches. */
    static final int BLOCK_ROWS = 256;

    private final NetworkSpec spec;
    private final Parameters params;
    private final List<Layer> layers;
    private final ThreadLocal<Workspace> rowWorkspace;

    /**
     * Binds {@code params} (kept, not copied) to {@code spec}; fails naming the first tensor
     * whose name or shape differs from the layout the spec implies.
     */
    public Network(NetworkSpec spec, Parameters params) {
        this.spec = spec;
        this.layers = buildLayers(spec);
        checkLayout(shapesOf(layers), params);
        this.params = params;
        this.rowWorkspace = ThreadLocal.withInitial(this::newWorkspace);
    }

    /** A network with freshly initialised parameters (LRNN.md section 3), reproducible by seed. */
    public static Network initialize(NetworkSpec spec, long seed) {
        return initialize(spec, seed, LrnnInit.UNIFORM);
    }

    /** As {@link #initialize(NetworkSpec, long)}, the LRNN layers' functions started as {@code init} says. */
    public static Network initialize(NetworkSpec spec, long seed, LrnnInit init) {
        List<Layer> layers = buildLayers(spec);
        Parameters params = new Parameters(layoutOf(layers));
        SplittableRandom random = new SplittableRandom(seed);
        for (Layer layer : layers) {
            if (layer instanceof LrnnLayer lrnn) {
                lrnn.initialize(params, random, init);
            } else {
                layer.initialize(params, random);
            }
        }
        return new Network(spec, params);
    }

    /** Zero-valued tensors with every name and shape the spec implies, in file order. */
    public static List<Tensor> layout(NetworkSpec spec) {
        return layoutOf(buildLayers(spec));
    }

    /**
     * Every name and shape the spec implies, in file order, without allocating the tensors (check
     * the spec's size first: {@link Footprint}).
     */
    public static List<TensorShape> shapes(NetworkSpec spec) {
        return shapesOf(buildLayers(spec));
    }

    private static List<Layer> buildLayers(NetworkSpec spec) {
        List<Layer> layers = new ArrayList<>();
        int first = 0;
        for (int k = 0; k <= spec.layers().size(); k++) {
            int in = spec.inputSizeOf(k);
            Layer layer;
            if (k == spec.layers().size()) {
                layer = new DenseLayer("head.", first, in, spec.outputSize(), DenseActivation.IDENTITY, 1, false);
            } else if (spec.layers().get(k) instanceof LrnnLayerSpec lrnn) {
                layer = new LrnnLayer("layers." + k + ".", first, in, lrnn);
            } else {
                DenseLayerSpec dense = (DenseLayerSpec) spec.layers().get(k);
                layer = new DenseLayer("layers." + k + ".", first, in, dense.width(), dense.activation(),
                        dense.omega(), k == 0);
            }
            layers.add(layer);
            first += layer.shapes().size();
        }
        return List.copyOf(layers);
    }

    private static List<Tensor> layoutOf(List<Layer> layers) {
        List<Tensor> all = new ArrayList<>();
        layers.forEach(layer -> all.addAll(layer.layout()));
        return all;
    }

    private static List<TensorShape> shapesOf(List<Layer> layers) {
        List<TensorShape> all = new ArrayList<>();
        layers.forEach(layer -> all.addAll(layer.shapes()));
        return all;
    }

    private static void checkLayout(List<TensorShape> expected, Parameters params) {
        for (int i = 0; i < expected.size(); i++) {
            TensorShape want = expected.get(i);
            SpecException.require(i < params.size(), want.name(), "a tensor of shape "
                    + Arrays.toString(want.shape()), "none");
            Tensor have = params.get(i);
            SpecException.require(have.name().equals(want.name()), "tensor " + i, want.name(), have.name());
            SpecException.require(Arrays.equals(have.shape(), want.shape()), want.name(),
                    "shape " + Arrays.toString(want.shape()), Arrays.toString(have.shape()));
        }
        SpecException.require(params.size() == expected.size(), "tensors", expected.size() + " tensors",
                params.size() + (params.size() > expected.size() ? " (unexpected " + params.get(expected.size()).name()
                        + ")" : ""));
    }

    public NetworkSpec spec() {
        return spec;
    }

    /** The live parameters (the trainer updates them in place). */
    public Parameters parameters() {
        return params;
    }

    public Workspace newWorkspace() {
        return new Workspace(layers.size());
    }

    /**
     * Forward pass of {@code input} (rows x inputSize) through all layers, keeping in
     * {@code workspace} what {@link #backward} needs. Returns the head's output (rows x outputSize),
     * owned by the workspace and overwritten by its next use.
     */
    public DMatrixRMaj forward(DMatrixRMaj input, Workspace workspace) {
        SpecException.requireCount(input.numCols == spec.inputSize(), "input", spec.inputSize(), "columns",
                input.numCols);
        workspace.lastInput = input;
        DMatrixRMaj current = input;
        for (int k = 0; k < layers.size(); k++) {
            LayerBuffers buffers = workspace.layers.get(k);
            layers.get(k).forward(params, current, buffers);
            current = buffers.out;
        }
        return current;
    }

    /**
     * Backward pass for the rows of the last {@link #forward} in {@code workspace}: adds
     * dL/dparameters to {@code grads} (same layout as {@link #parameters()}). Returns dL/dinput
     * if {@code needInputGradient}, else null; the matrix is owned by the workspace.
     */
    public DMatrixRMaj backward(Workspace workspace, DMatrixRMaj gradOutput, Parameters grads,
                                boolean needInputGradient) {
        DMatrixRMaj grad = gradOutput;
        for (int k = layers.size() - 1; k >= 0; k--) {
            DMatrixRMaj in = k == 0 ? workspace.lastInput : workspace.layers.get(k - 1).out;
            boolean needIn = k > 0 || needInputGradient;
            LayerBuffers buffers = workspace.layers.get(k);
            layers.get(k).backward(params, in, buffers, grad, grads, needIn);
            grad = buffers.gradIn;
        }
        return needInputGradient ? grad : null;
    }

    /** Head output for every row of {@code input}, in this thread; the result is a new matrix. */
    public DMatrixRMaj predict(DMatrixRMaj input) {
        return predict(input, null);
    }

    /**
     * Head output for every row of {@code input}, its {@link RowChunks} run on {@code pool}
     * (null: in this thread); the result is a new matrix.
     */
    public DMatrixRMaj predict(DMatrixRMaj input, java.util.concurrent.ForkJoinPool pool) {
        DMatrixRMaj out = new DMatrixRMaj(input.numRows, spec.outputSize());
        int rows = input.numRows;
        int chunks = pool == null ? 1 : RowChunks.count(rows);
        // Each chunk runs wholly on one thread, so that thread's own workspace serves it.
        new RowChunks.Runner(pool).run(chunks, c -> predictInto(input, RowChunks.start(rows, chunks, c),
                RowChunks.start(rows, chunks, c + 1), rowWorkspace.get(), out));
        return out;
    }

    /** Rows [from, to) of {@code input} into the same rows of {@code out}, with {@code workspace}. */
    public void predictInto(DMatrixRMaj input, int from, int to, Workspace workspace, DMatrixRMaj out) {
        int k = spec.outputSize();
        for (int start = from; start < to; start += BLOCK_ROWS) {
            int rows = Math.min(BLOCK_ROWS, to - start);
            DMatrixRMaj block = workspace.input;
            block.reshape(rows, input.numCols, false);
            System.arraycopy(input.data, start * input.numCols, block.data, 0, rows * input.numCols);
            DMatrixRMaj y = forward(block, workspace);
            System.arraycopy(y.data, 0, out.data, start * k, rows * k);
        }
    }

    /**
     * The single-row path: head output for one row, with a per-thread workspace, so a steady
     * stream of calls allocates no matrices. Writes {@code out} (length outputSize).
     */
    public void predictRow(double[] row, double[] out) {
        predictRow(row, null, out);
    }

    /** {@link #predictRow(double[], double[])} of {@code row} standardised by {@code normalization} (null: as is). */
    public void predictRow(double[] row, Normalization normalization, double[] out) {
        SpecException.requireCount(row.length == spec.inputSize(), "input", spec.inputSize(), "values", row.length);
        Workspace workspace = rowWorkspace.get();
        DMatrixRMaj block = workspace.input;
        block.reshape(1, row.length, false);
        System.arraycopy(row, 0, block.data, 0, row.length);
        if (normalization != null) {
            normalization.normalizeInput(block.data, 0);
        }
        DMatrixRMaj y = forward(block, workspace);
        System.arraycopy(y.data, 0, out, 0, spec.outputSize());
    }

    /** Replaces each row of logits (rows x K) by its softmax, stably (max subtracted). */
    public static void softmaxInPlace(double[] values, int offset, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            max = Math.max(max, values[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < k; i++) {
            double e = Math.exp(values[offset + i] - max);
            values[offset + i] = e;
            sum += e;
        }
        for (int i = 0; i < k; i++) {
            values[offset + i] /= sum;
        }
    }
}
