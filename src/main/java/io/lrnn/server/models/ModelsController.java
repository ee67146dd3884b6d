package io.lrnn.server.models;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.net.URI;
import java.util.List;
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

/** The model management API: list, describe, upload, delete, choose the default version. */
@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "Models", description = "Model versions: list, describe, upload, delete, default version")
class ModelsController {

    private final ModelRegistry registry;
    private final ModelService service;

    ModelsController(ModelRegistry registry, ModelService service) {
        this.registry = registry;
        this.service = service;
    }

    /** The body of {@code PUT .../default-version}. */
    record DefaultVersion(String version) {
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
            return ModelView.of(registry.entry(name), failed);
        }
        return ModelView.notServed(name, failed);
    }

    @GetMapping("/{name}/versions/{version}")
    @Operation(summary = "One model version")
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
    @Operation(summary = "Choose the version served when a request names none")
    ModelView.ModelDetails setDefault(@PathVariable String name, @RequestBody DefaultVersion body) {
        if (body == null || body.version() == null) {
            throw new InvalidModelException("version: expected a version of model " + name + " but found none");
        }
        service.setDefaultVersion(name, body.version());
        return details(name);
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
