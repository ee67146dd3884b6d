package io.lrnn.engine;

/** One hidden layer of a network: an LRNN layer or a plain dense layer. */
public sealed interface LayerSpec permits LrnnLayerSpec, DenseLayerSpec {

    /** Number of outputs of the layer (r for an LRNN layer). */
    int width();
}
