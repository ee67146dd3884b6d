package io.lrnn.server;

import io.lrnn.engine.DenseActivation;
import io.lrnn.engine.DenseLayerSpec;
import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.Model;
import io.lrnn.engine.Network;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Task;
import io.lrnn.engine.UnivariateActivation;
import io.lrnn.engine.io.ModelFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small models for server tests, written to disk in model format v1. */
public final class TestModels {

    private TestModels() {
    }

    /** Regression, inputs x1..x3, outputs y1, y2; different seeds give different weights. */
    public static Model regression(long seed) {
        NetworkSpec spec = new NetworkSpec(3, List.of(
                new LrnnLayerSpec(8, 3, 4, UnivariateActivation.SIN, 2.0, false, true)), 2, Task.REGRESSION);
        return new Model(Network.initialize(spec, seed), List.of("x1", "x2", "x3"), List.of("y1", "y2"), null, null);
    }

    /** Classification into "cat", "dog", "eel" from inputs a, b. */
    public static Model classifier(long seed) {
        NetworkSpec spec = new NetworkSpec(2, List.of(new DenseLayerSpec(6, DenseActivation.TANH),
                new LrnnLayerSpec(4, 2, 3, UnivariateActivation.SPDER, 1.0, true, false)), 3, Task.CLASSIFICATION);
        return new Model(Network.initialize(spec, seed), List.of("a", "b"), List.of("cat", "dog", "eel"), null, null);
    }

    /** Writes {@code model} as {@code root/name/version}. */
    public static Path write(Path root, String name, String version, Model model) {
        try {
            Path dir = Files.createDirectories(root.resolve(name)).resolve(version);
            ModelFiles.write(model, dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] json(Model model) {
        return ModelFiles.toJson(model);
    }

    public static byte[] weights(Model model) {
        return ModelFiles.toSafeTensors(model, io.lrnn.engine.io.SafeTensors.DType.F64);
    }
}
