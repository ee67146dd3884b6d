package io.lrnn.server.models;

import io.lrnn.engine.Model;
import io.lrnn.engine.io.ModelJson;
import io.lrnn.server.common.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** JSON views of models for the management API. */
final class ModelView {


    private ModelView() {
    }

    /**
     * A model with all its served versions, and the stored versions that are not served
     * ({@code notLoaded}, with the reason; empty when all loaded), its labels (label to version)
     * and its traffic split (null when there is none).
     */
    record ModelDetails(String name, String defaultVersion, List<VersionDetails> versions,
                        List<NotLoadedVersion> notLoaded, Map<String, String> labels, Traffic traffic) {
    }

    /** How requests that name no version are shared: label to percent. */
    record Traffic(Map<String, Integer> split) {
    }

    /** A stored version that is not served: from the store (deletable) or the model directory. */
    record NotLoadedVersion(String version, String source, String reason) {
    }

    /**
     * One version: schema, architecture and provenance as in its model.json, plus serving facts.
     */
    record VersionDetails(String name, String version, boolean isDefault, boolean readOnly, Instant loadedAt,
                          String task, List<String> inputs, List<String> outputs, JsonNode architecture,
                          long parameterCount, int formatVersion, JsonNode normalization, JsonNode provenance) {
    }

    static ModelDetails of(ModelEntry entry, List<NotLoaded> notLoaded, ModelLabels labels) {
        return new ModelDetails(entry.name(), entry.defaultVersion(),
                entry.versions().values().stream().map(v -> of(v, entry.defaultVersion())).toList(), view(notLoaded),
                labels.labels(), traffic(labels));
    }

    /** A model none of whose stored versions is served. */
    static ModelDetails notServed(String name, List<NotLoaded> notLoaded, ModelLabels labels) {
        return new ModelDetails(name, null, List.of(), view(notLoaded), labels.labels(), traffic(labels));
    }

    private static Traffic traffic(ModelLabels labels) {
        return labels.split() == null ? null : new Traffic(labels.split().weights());
    }

    private static List<NotLoadedVersion> view(List<NotLoaded> notLoaded) {
        return notLoaded.stream().map(n -> new NotLoadedVersion(n.version(), n.source(), n.reason())).toList();
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
