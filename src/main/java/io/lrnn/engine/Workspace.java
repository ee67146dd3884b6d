package io.lrnn.engine;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * Reusable buffers for passing blocks of rows through one {@link Network}: what the forward pass
 * keeps for the backward pass. Not thread-safe: one workspace per thread; reusing it across
 * calls avoids allocating matrices per request or per training step.
 */
public final class Workspace {

    final List<LayerBuffers> layers = new ArrayList<>();
    final DMatrixRMaj input = new DMatrixRMaj(1, 1);
    DMatrixRMaj lastInput;

    Workspace(int layerCount) {
        for (int k = 0; k < layerCount; k++) {
            layers.add(new LayerBuffers());
        }
    }
}
