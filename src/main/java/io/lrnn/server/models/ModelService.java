package io.lrnn.server.models;

import io.lrnn.engine.Model;
import io.lrnn.engine.io.ModelFiles;
import io.lrnn.server.config.LrnnProperties;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Service;

/**
 * Loads the model directory and the store into the registry at start-up (before the application
 * reports ready), and applies uploads, deletes and default changes: store first, then an atomic
 * switch in the registry, so a failure leaves the previous state serving. Changes are serialised
 * (they are rare); reads never wait for them.
 */
@Service
public class ModelService implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ModelService.class);

    private final ModelRegistry registry;
    private final ModelStore store;
    private final LrnnProperties properties;
    private final AtomicBoolean loaded = new AtomicBoolean();
    private final List<String> loadErrors = new ArrayList<>();

    public ModelService(ModelRegistry registry, ModelStore store, LrnnProperties properties) {
        this.registry = registry;
        this.store = store;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        load(ModelDirectory.readAll(properties.models().directory()), true);
        load(store.loadAll(), false);
        store.defaultVersions().forEach((name, version) -> {
            try {
                registry.pinDefault(name, version);
            } catch (ModelNotFoundException e) {
                loadErrors.add("default version of " + name + ": " + e.getMessage());
            }
        });
        loaded.set(true);
        log.info("Loaded {} model versions of {} models ({} could not be loaded)", registry.versionCount(),
                registry.entries().size(), loadErrors.size());
    }

    private void load(List<ModelStore.Stored> versions, boolean readOnly) {
        for (ModelStore.Stored stored : versions) {
            if (stored.error() != null) {
                loadErrors.add(stored.name() + "/" + stored.version() + ": " + stored.error());
                log.error("Model {} version {} not loaded: {}", stored.name(), stored.version(), stored.error());
            } else {
                registry.add(new LoadedModel(stored.name(), stored.version(), stored.model(), readOnly,
                        Instant.now()), true);
            }
        }
    }

    /** Whether start-up loading has finished. */
    public boolean isLoaded() {
        return loaded.get();
    }

    /** Versions found at start-up that could not be loaded, with the reason. */
    public List<String> loadErrors() {
        return List.copyOf(loadErrors);
    }

    /**
     * Validates both files completely, stores the version and only then makes it visible.
     *
     * @throws InvalidModelException  if the files are not a valid model (the message names the field)
     * @throws ModelConflictException if the version exists
     */
    public synchronized LoadedModel upload(String name, String version, byte[] modelJson, byte[] weights) {
        ModelNames.check("name", name);
        ModelNames.check("version", version);
        Model model;
        try {
            model = ModelFiles.read(modelJson, weights);
        } catch (RuntimeException e) {
            throw new InvalidModelException(e.getMessage(), e);
        }
        if (registry.contains(name, version)) {
            throw new ModelConflictException("model " + name + " already has a version " + version);
        }
        store.save(name, version, model);
        LoadedModel loadedModel = new LoadedModel(name, version, model, false, Instant.now());
        registry.add(loadedModel, false);
        return loadedModel;
    }

    public synchronized void delete(String name, String version) {
        LoadedModel model = registry.resolve(name, version);
        if (model.readOnly()) {
            throw new ModelConflictException("model " + name + " version " + version
                    + " comes from the read-only model directory and cannot be deleted");
        }
        store.delete(name, version);
        registry.remove(name, version);
    }

    public synchronized void setDefaultVersion(String name, String version) {
        registry.resolve(name, version);
        store.saveDefaultVersion(name, version);
        registry.pinDefault(name, version);
    }
}
