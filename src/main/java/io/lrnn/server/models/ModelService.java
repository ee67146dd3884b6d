package io.lrnn.server.models;

import io.lrnn.engine.Model;
import io.lrnn.engine.io.ModelFiles;
import io.lrnn.server.config.LrnnProperties;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Keeps the registry in step with the model directory (read-only, loaded at start-up) and the
 * store shared by every replica (loaded at start-up, then synchronised every
 * {@code lrnn.models.sync-interval}). Uploads, deletes and default changes go to the store first
 * and then switch atomically in the registry, so a failure leaves the previous state serving.
 */
@Service
public class ModelService implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ModelService.class);

    private final ModelRegistry registry;
    private final ModelStore store;
    private final LrnnProperties properties;
    private final Clock clock;
    private final AtomicBoolean loaded = new AtomicBoolean();
    private final AtomicBoolean storeUnreachable = new AtomicBoolean();
    private final List<String> loadErrors = new CopyOnWriteArrayList<>();

    public ModelService(ModelRegistry registry, ModelStore store, LrnnProperties properties, Clock clock) {
        this.registry = registry;
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        for (ModelStore.Stored stored : ModelDirectory.readAll(properties.models().directory())) {
            add(stored, true);
        }
        sync();
        loaded.set(true);
        log.info("Loaded {} model versions of {} models ({} could not be loaded)", registry.versionCount(),
                registry.entries().size(), loadErrors.size());
    }

    /**
     * The background sync. While the store is unreachable the loaded versions keep serving (predict
     * reads only the registry and never takes this object's lock); one line is logged per outage.
     */
    @Scheduled(initialDelayString = "${lrnn.models.sync-interval:2s}", fixedDelayString = "${lrnn.models.sync-interval:2s}")
    void syncInBackground() {
        try {
            sync();
            if (storeUnreachable.compareAndSet(true, false)) {
                log.info("Model store reachable again; {} versions served", registry.versionCount());
            }
        } catch (DataAccessException e) {
            if (storeUnreachable.compareAndSet(false, true)) {
                log.warn("Model store unreachable, serving the {} versions loaded until it answers: {}",
                        registry.versionCount(), e.getMostSpecificCause().toString());
            }
        }
    }

    /** Picks up versions and default changes that any replica made in the store. */
    public synchronized void sync() {
        Set<List<String>> keys = store.keys();
        for (List<String> key : keys) {
            if (!registry.contains(key.get(0), key.get(1))) {
                try {
                    add(store.load(key.get(0), key.get(1)), false);
                } catch (ModelNotFoundException deletedMeanwhile) {
                    // Another replica deleted it since keys() was read; the next round agrees.
                }
            }
        }
        for (ModelEntry entry : registry.entries()) {
            for (LoadedModel version : entry.versions().values()) {
                if (!version.readOnly() && !keys.contains(List.of(version.name(), version.version()))) {
                    registry.remove(version.name(), version.version());
                }
            }
        }
        Map<String, String> defaults = store.defaultVersions();
        for (ModelEntry entry : registry.entries()) {
            String wanted = defaults.get(entry.name());
            if (!Objects.equals(wanted, entry.pinnedDefault()) && (wanted == null || registry.contains(entry.name(), wanted))) {
                registry.pinDefault(entry.name(), wanted);
            }
        }
    }

    private void add(ModelStore.Stored stored, boolean readOnly) {
        if (stored.error() != null) {
            String problem = stored.name() + "/" + stored.version() + ": " + stored.error();
            if (!loadErrors.contains(problem)) {
                loadErrors.add(problem);
                log.error("Model {} version {} not loaded: {}", stored.name(), stored.version(), stored.error());
            }
        } else if (!registry.contains(stored.name(), stored.version())) {
            registry.add(new LoadedModel(stored.name(), stored.version(), stored.model(), readOnly, clock.instant()),
                    false);
        }
    }

    /** Whether start-up loading has finished. */
    public boolean isLoaded() {
        return loaded.get();
    }

    /** Versions that could not be loaded, with the reason. */
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
        store.save(name, version, model, null);
        return publish(name, version, model);
    }

    /** Makes a version that was just committed to the store visible here at once (others sync). */
    public LoadedModel publish(String name, String version, Model model) {
        LoadedModel loaded = new LoadedModel(name, version, model, false, clock.instant());
        registry.add(loaded, true);
        return loaded;
    }

    /** Stores a trained version (joining the caller's transaction). */
    public void storeTrained(String name, String version, Model model, String jobId) {
        store.save(name, version, model, jobId);
    }

    /** The next whole-number version of {@code name}: one more than any served or stored. */
    public String nextVersion(String name) {
        long highest = 0;
        for (List<String> key : store.keys()) {
            if (key.get(0).equals(name)) {
                highest = Math.max(highest, numeric(key.get(1)));
            }
        }
        if (registry.entries().stream().anyMatch(e -> e.name().equals(name))) {
            for (String version : registry.entry(name).versions().keySet()) {
                highest = Math.max(highest, numeric(version));
            }
        }
        return Long.toString(highest + 1);
    }

    private static long numeric(String version) {
        return version.matches("\\d{1,18}") ? Long.parseLong(version) : 0;
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
