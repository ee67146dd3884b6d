package io.lrnn.server.training;

import java.util.List;
import java.util.Map;

/**
 * Starting points for the architecture and hyper-parameters: {@code tabular} (features of mixed
 * scale, smooth targets: omega 1) and {@code signal} (coordinates to high-frequency values:
 * omega0 30, as in SIREN, then omega 5, which fitted Cameraman 64 x 64 to 105.7 dB in 300 steps
 * where omega 1 reached 30.6 dB: docs/results.md, "Initialisation study"; at 3e-3 rather than
 * 1e-3, 116.1 dB: "Model-quality study"). Values given in a request override the preset's.
 */
final class Presets {

    static final String DEFAULT = "tabular";

    private static final Map<String, TrainingRequest.Architecture> ARCHITECTURES = Map.of(
            "tabular", new TrainingRequest.Architecture(List.of(
                    new TrainingRequest.Layer("lrnn", 32, 4, 8, "sin", 1.0, false, true))),
            "signal", new TrainingRequest.Architecture(List.of(
                    new TrainingRequest.Layer("lrnn", 64, 4, 8, "sin", 30.0, false, true),
                    new TrainingRequest.Layer("lrnn", 64, 4, 8, "sin", 5.0, false, true))));

    private static final Map<String, TrainingRequest.Hyperparameters> TRAINING = Map.of(
            "tabular", new TrainingRequest.Hyperparameters(200, 0L, 128, 3e-3, "cosine", 0.0, 0.2, 20, 42L),
            "signal", new TrainingRequest.Hyperparameters(300, 0L, 1024, 3e-3, "cosine", 0.0, 0.0, 0, 42L));

    private Presets() {
    }

    static boolean exists(String preset) {
        return ARCHITECTURES.containsKey(preset);
    }

    static List<String> names() {
        return List.of("tabular", "signal");
    }

    static TrainingRequest.Architecture architecture(String preset) {
        return ARCHITECTURES.get(preset);
    }

    /** {@code given}'s values where present, the preset's elsewhere. */
    static TrainingRequest.Hyperparameters training(String preset, TrainingRequest.Hyperparameters given) {
        TrainingRequest.Hyperparameters p = TRAINING.get(preset);
        if (given == null) {
            return p;
        }
        return new TrainingRequest.Hyperparameters(or(given.epochs(), p.epochs()), or(given.maxSteps(), p.maxSteps()),
                or(given.batchSize(), p.batchSize()), or(given.learningRate(), p.learningRate()),
                or(given.schedule(), p.schedule()), or(given.weightDecay(), p.weightDecay()),
                or(given.validationSplit(), p.validationSplit()),
                or(given.earlyStoppingPatience(), p.earlyStoppingPatience()), or(given.seed(), p.seed()),
                given.maxDuration(), given.init());
    }

    /** A layer with defaults where {@code given} is silent (omega 1, LayerNorm on, per-neuron functions). */
    static TrainingRequest.Layer layer(TrainingRequest.Layer given) {
        boolean dense = "dense".equals(given.type());
        return new TrainingRequest.Layer(given.type(), given.width(), dense ? null : or(given.projection(), 4),
                dense ? null : or(given.hidden(), 8), or(given.activation(), dense ? "tanh" : "sin"),
                or(given.omega(), 1.0), dense ? null : or(given.sharedFunctions(), false),
                dense ? null : or(given.layerNorm(), true));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
