package io.lrnn.server;

import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.Model;
import io.lrnn.engine.Network;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Task;
import io.lrnn.engine.UnivariateActivation;
import io.lrnn.engine.io.ModelFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** Models on disk for the end-to-end tests. */
public final class ServingFixtures {

    /** The example model shipped with the repository: {@code demo} version 1, inputs x1, x2, output y. */
    public static final Path REPOSITORY_MODELS = Path.of("models").toAbsolutePath();

    private ServingFixtures() {
    }

    /** A seeded regression model with inputs x1, x2 and output y, like the shipped demo. */
    public static Model model(long seed) {
        NetworkSpec spec = new NetworkSpec(2, List.of(
                new LrnnLayerSpec(8, 2, 4, UnivariateActivation.SIN, 1.0, false, false)), 1, Task.REGRESSION);
        return new Model(Network.initialize(spec, seed), List.of("x1", "x2"), List.of("y"), null, null);
    }

    /** Writes {@code model} as {@code root/name/version}. */
    public static Path write(Path root, String name, String version, Model model) {
        try {
            Path dir = root.resolve(name).resolve(version);
            ModelFiles.write(model, dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
