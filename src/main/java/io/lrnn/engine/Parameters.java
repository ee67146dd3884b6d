package io.lrnn.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ordered, named tensors of a network (LRNN.md section 6 names them). Gradients use the same
 * class and layout, so optimisers and gradient checks walk both in step.
 */
public final class Parameters {

    private final List<Tensor> tensors;
    private final Map<String, Tensor> byName = new LinkedHashMap<>();

    public Parameters(List<Tensor> tensors) {
        this.tensors = List.copyOf(tensors);
        for (Tensor t : this.tensors) {
            if (byName.put(t.name(), t) != null) {
                throw new SpecException("tensor " + t.name() + " appears twice");
            }
        }
    }

    /** Zero-valued tensors with the names and shapes of {@code layout}. */
    public static Parameters zeros(List<Tensor> layout) {
        List<Tensor> zeros = new ArrayList<>();
        for (Tensor t : layout) {
            zeros.add(Tensor.zeros(t.name(), t.shape()));
        }
        return new Parameters(zeros);
    }

    public List<Tensor> tensors() {
        return Collections.unmodifiableList(tensors);
    }

    public Tensor get(int index) {
        return tensors.get(index);
    }

    /** The tensor called {@code name}, or an exception naming it. */
    public Tensor get(String name) {
        Tensor t = byName.get(name);
        if (t == null) {
            throw new SpecException("tensor " + name + " is missing");
        }
        return t;
    }

    public int size() {
        return tensors.size();
    }

    /** Total number of scalar parameters. */
    public long count() {
        long n = 0;
        for (Tensor t : tensors) {
            n += t.data().length;
        }
        return n;
    }

    public Parameters copy() {
        return new Parameters(tensors.stream().map(Tensor::copy).toList());
    }

    /** Same names and shapes as {@code other}, in the same order. */
    public boolean sameLayout(Parameters other) {
        if (other.size() != size()) {
            return false;
        }
        for (int i = 0; i < size(); i++) {
            if (!get(i).name().equals(other.get(i).name())
                    || !Arrays.equals(get(i).shape(), other.get(i).shape())) {
                return false;
            }
        }
        return true;
    }

    /** Copies every value of {@code source} (same layout) into these tensors. */
    public void setFrom(Parameters source) {
        for (int i = 0; i < size(); i++) {
            double[] from = source.get(i).data();
            System.arraycopy(from, 0, get(i).data(), 0, from.length);
        }
    }

    /** Sets every value to zero. */
    public void clear() {
        for (int i = 0; i < size(); i++) { // (no iterator: called every training step)
            Arrays.fill(get(i).data(), 0);
        }
    }

    /** Adds every value of {@code other} (same layout) to these tensors. */
    public void add(Parameters other) {
        for (int i = 0; i < size(); i++) {
            double[] a = get(i).data();
            double[] b = other.get(i).data();
            for (int j = 0; j < a.length; j++) {
                a[j] += b[j];
            }
        }
    }

    /** The name of the first tensor holding a NaN or infinite value, or null if all are finite. */
    public String firstNonFinite() {
        for (Tensor t : tensors) {
            for (double v : t.data()) {
                if (!Double.isFinite(v)) {
                    return t.name();
                }
            }
        }
        return null;
    }
}
