package io.lrnn.engine;

import java.util.Arrays;

/**
 * A named parameter tensor: its shape (PyTorch convention, weight is out x in) and its values in
 * row-major order. The array is shared, not copied: the trainer updates it in place.
 */
public final class Tensor {

    private final String name;
    private final int[] shape;
    private final double[] data;

    public Tensor(String name, int[] shape, double[] data) {
        this.name = name;
        this.shape = shape.clone();
        SpecException.require(data.length == size(shape), name, size(shape) + " values for shape "
                + Arrays.toString(shape), data.length);
        this.data = data;
    }

    public static Tensor zeros(String name, int... shape) {
        return new Tensor(name, shape, new double[size(shape)]);
    }

    /** Product of the dimensions. */
    public static int size(int[] shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        if (n > Integer.MAX_VALUE) {
            throw new SpecException("shape " + Arrays.toString(shape) + " is too large");
        }
        return (int) n;
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** The live values (not a copy). */
    public double[] data() {
        return data;
    }

    public Tensor copy() {
        return new Tensor(name, shape, data.clone());
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
