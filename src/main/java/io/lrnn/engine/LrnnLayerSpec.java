package io.lrnn.engine;

import static io.lrnn.engine.SpecException.require;

/**
 * An LRNN layer (LRNN.md section 1): {@code width} neurons r, each the product of
 * {@code projection} d univariate functions with {@code hidden} h units of {@code activation}
 * at frequency {@code omega}.
 */
public record LrnnLayerSpec(int width, int projection, int hidden, UnivariateActivation activation,
                            double omega, boolean sharedFunctions, boolean layerNorm)
        implements LayerSpec {

    public LrnnLayerSpec {
        require(width > 0, "width", "a positive integer", width);
        require(projection > 0, "projection", "a positive integer", projection);
        require(hidden > 0, "hidden", "a positive integer", hidden);
        require(activation != null, "activation", "sin or spder", activation);
        require(Double.isFinite(omega) && omega > 0, "omega", "a finite number > 0", omega);
        // The layer indexes its r x d x h hidden units with ints.
        require(width <= Integer.MAX_VALUE / projection && (long) width * projection <= Integer.MAX_VALUE / hidden,
                "width x projection x hidden", "at most " + Integer.MAX_VALUE,
                Footprint.product(width, projection, hidden));
    }

    /** The variance-controlling factor gamma = d^(-1/2) (LRNN.md section 2). */
    public double gamma() {
        return 1 / Math.sqrt(projection);
    }
}
