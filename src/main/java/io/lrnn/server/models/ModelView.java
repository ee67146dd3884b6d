package io.lrnn.server.models;

import io.lrnn.engine.Model;
import io.lrnn.engine.io.ModelJson;
import io.lrnn.server.common.Json;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** JSON views of models for the management API. */
final class ModelView {


    private ModelView() {
    }

    /** A model with all its versions. */
    record ModelDetails(String name, String defaultVersion, List<VersionDetails> versions) {
    }

    /**
     * One version: schema, architecture and provenance as in its model.json, plus serving facts.
     */
    record VersionDetails(String name, String version, boolean isDefault, boolean readOnly, Instant loadedAt,
                          String task, List<String> inputs, List<String> outputs, JsonNode architecture,
                          long parameterCount, int formatVersion, JsonNode normalization, JsonNode provenance) {
    }

    static ModelDetails of(ModelEntry entry) {
        return new ModelDetails(entry.name(), entry.defaultVersion(),
                entry.versions().values().stream().map(v -> of(v, entry.defaultVersion())).toList());
    }

    static VersionDetails of(LoadedModel loaded, String defaultVersion) {
        Model model = loaded.model();
        JsonNode json = Json.MAPPER.readTree(ModelJson.toBytes(ModelJson.Description.of(model)));
        return new VersionDetails(loaded.name(), loaded.version(), loaded.version().equals(defaultVersion),
                loaded.readOnly(), loaded.loadedAt(), json.get("task").asString(), model.inputs(), model.outputs(),
                json.get("layers"), model.network().parameters().count(), ModelJson.FORMAT_VERSION,
                json.get("normalization"), json.get("provenance"));
    }
}
