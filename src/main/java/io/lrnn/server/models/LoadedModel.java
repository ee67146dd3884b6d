package io.lrnn.server.models;

import io.lrnn.engine.Model;
import java.time.Instant;

/**
 * One servable model version, immutable once loaded. {@code readOnly} versions come from the
 * model directory and cannot be deleted over the API.
 */
public record LoadedModel(String name, String version, Model model, boolean readOnly, Instant loadedAt) {
}
