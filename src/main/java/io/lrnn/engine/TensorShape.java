package io.lrnn.engine;

import java.util.Arrays;

/**
 * A tensor's name and shape without its values: what a spec implies, so that files can be
 * checked against it before anything of that size is allocated.
 */
public record TensorShape(String name, int[] shape) {

    public TensorShape {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of values; {@link Long#MAX_VALUE} if the product does not fit in a long. */
    public long size() {
        long n = 1;
        for (int s : shape) {
            n = Footprint.multiply(n, s);
        }
        return n;
    }

    /** A zero-valued tensor of this name and shape. */
    public Tensor zeros() {
        return Tensor.zeros(name, shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorShape t && t.name.equals(name) && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
