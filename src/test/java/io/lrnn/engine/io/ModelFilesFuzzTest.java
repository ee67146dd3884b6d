package io.lrnn.engine.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Coverage-guided fuzz tests of the two readers: any input either loads or raises
 * {@link ModelFormatException}; anything else (another exception, an Error, a hang) fails.
 *
 * <p>In a normal {@code ./mvnw verify} Jazzer runs in regression mode: each test runs once per
 * seed under {@code src/test/resources/io/lrnn/engine/io/ModelFilesFuzzTestInputs/<method>/} (valid
 * model pairs and a few hostile files) and on an empty input, in well under a second. With
 * {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration} per test (see docs/security.md for a
 * longer run).
 */
class ModelFilesFuzzTest {

    /** Weights that match the regression fixture's model.json, so mutated JSON can still load. */
    private static final byte[] FIXTURE_WEIGHTS = resource("/fixtures/format-v1/regression-lrnn-layernorm/weights.safetensors");

    @FuzzTest(maxDuration = "10s")
    void safeTensorsEitherLoadOrAreAFormatError(byte[] file) {
        try {
            SafeTensors.read(file);
        } catch (ModelFormatException expected) {
            // the format's own error: fine
        }
    }

    @FuzzTest(maxDuration = "10s")
    void modelJsonEitherLoadsOrIsAFormatError(byte[] json) {
        try {
            ModelJson.parse(json);
        } catch (ModelFormatException expected) {
            // the format's own error: fine
        }
        try {
            ModelFiles.read(json, FIXTURE_WEIGHTS);
        } catch (ModelFormatException expected) {
            // the format's own error: fine
        }
    }

    /** The input is model.json, a zero byte, then weights.safetensors (the seeds are laid out so). */
    @FuzzTest(maxDuration = "10s")
    void modelPairsEitherLoadOrAreAFormatError(byte[] pair) {
        int split = 0;
        while (split < pair.length && pair[split] != 0) {
            split++;
        }
        byte[] json = Arrays.copyOfRange(pair, 0, split);
        byte[] weights = Arrays.copyOfRange(pair, Math.min(pair.length, split + 1), pair.length);
        try {
            ModelFiles.read(json, weights);
        } catch (ModelFormatException expected) {
            // the format's own error: fine
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = ModelFilesFuzzTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
