package io.lrnn.server.models;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * The model management API: list, describe, upload, delete, choose the default version, labels
 * and the traffic split.
 */
@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "Models", description = "Model versions: list, describe, upload, delete, default version, labels, "
        + "traffic split")
class ModelsController {

    private final ModelRegistry registry;
    private final ModelService service;

    ModelsController(ModelRegistry registry, ModelService service) {
        this.registry = registry;
        this.service = service;
    }

    /** The body of {@code PUT .../default-version} and {@code PUT .../labels/{label}}. */
    record VersionChoice(String version) {
    }

    /** The body of {@code PUT .../traffic}: label to percent, two labels adding up to 100. */
    record TrafficChoice(Map<String, Object> split) {
    }

    @GetMapping
    @Operation(summary = "Every model with its versions")
    List<ModelView.ModelDetails> list() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        registry.entries().forEach(e -> names.add(e.name()));
        service.notLoaded().forEach(n -> names.add(n.name()));
        return names.stream().map(this::details).toList();
    }

    @GetMapping("/{name}")
    @Operation(summary = "One model: versions, default version, schema, architecture, provenance")
    ModelView.ModelDetails get(@PathVariable String name) {
        return details(name);
    }

    /** The served versions of {@code name} and those that are stored but not loaded; 404 if neither. */
    private ModelView.ModelDetails details(String name) {
        List<NotLoaded> failed = service.notLoaded(name);
        if (failed.isEmpty() || registry.contains(name)) {
            return ModelView.of(registry.entry(name), failed, registry.labels(name));
        }
        return ModelView.notServed(name, failed, registry.labels(name));
    }

    @GetMapping("/{name}/versions/{version}")
    @Operation(summary = "One model version (or the version a label names)")
    ModelView.VersionDetails getVersion(@PathVariable String name, @PathVariable String version) {
        return ModelView.of(registry.resolve(name, version), registry.entry(name).defaultVersion());
    }

    @PutMapping(path = "/{name}/versions/{version}", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Upload a version: parts 'model' (model.json) and 'weights' (weights.safetensors)")
    ResponseEntity<ModelView.VersionDetails> upload(@PathVariable String name, @PathVariable String version,
                                                    @RequestPart("model") MultipartFile model,
                                                    @RequestPart("weights") MultipartFile weights) {
        LoadedModel loaded = service.upload(name, version, part(model), part(weights));
        return ResponseEntity.created(URI.create("/api/v1/models/" + name + "/versions/" + version))
                .body(ModelView.of(loaded, registry.entry(name).defaultVersion()));
    }

    @DeleteMapping("/{name}/versions/{version}")
    @Operation(summary = "Delete an uploaded version (versions from the model directory are read-only)")
    ResponseEntity<Void> delete(@PathVariable String name, @PathVariable String version) {
        service.delete(name, version);
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/{name}/default-version")
    @Operation(summary = "Choose the version served when a request names none (and the model has no traffic split)")
    ModelView.ModelDetails setDefault(@PathVariable String name, @RequestBody VersionChoice body) {
        service.setDefaultVersion(name, version(name, body));
        return details(name);
    }

    @PutMapping("/{name}/labels/{label}")
    @Operation(summary = "Point a label (stable, canary, ...) at a version, creating or moving it")
    ModelView.ModelDetails setLabel(@PathVariable String name, @PathVariable String label,
                                    @RequestBody VersionChoice body) {
        service.setLabel(name, label, version(name, body));
        return details(name);
    }

    @DeleteMapping("/{name}/labels/{label}")
    @Operation(summary = "Delete a label (409 while the traffic split uses it)")
    ResponseEntity<Void> deleteLabel(@PathVariable String name, @PathVariable String label) {
        service.deleteLabel(name, label);
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/{name}/traffic")
    @Operation(summary = "Share the requests that name no version between two labels, in percent")
    ModelView.ModelDetails setTraffic(@PathVariable String name, @RequestBody TrafficChoice body) {
        service.setSplit(name, body.split() == null ? Map.of() : body.split());
        return details(name);
    }

    @DeleteMapping("/{name}/traffic")
    @Operation(summary = "Remove the traffic split: the default version answers requests that name none again")
    ResponseEntity<Void> deleteTraffic(@PathVariable String name) {
        service.setSplit(name, null);
        return ResponseEntity.noContent().build();
    }

    private static String version(String name, VersionChoice body) {
        if (body == null || body.version() == null) {
            throw new InvalidModelException("version: expected a version of model " + name + " but found none");
        }
        return body.version();
    }

    /** The part as the service reads it: size first, bytes only once the size is accepted. */
    private static ModelService.Part part(MultipartFile part) {
        return new ModelService.Part() {
            @Override
            public long size() {
                return part.getSize();
            }

            @Override
            public byte[] bytes() throws IOException {
                return part.getBytes();
            }
        };
    }
}
