package io.lrnn.server.models;

import io.lrnn.engine.Model;
import io.lrnn.engine.io.ModelFiles;
import io.lrnn.engine.io.ModelLimits;
import io.lrnn.engine.io.SafeTensors;
import io.lrnn.server.config.LrnnProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Keeps the registry in step with the model directory (read-only, loaded at start-up) and the
 * store shared by every replica (loaded at start-up, then synchronised every
 * {@code lrnn.models.sync-interval}). Uploads, deletes and default changes go to the store first
 * and then switch atomically in the registry, so a failure leaves the previous state serving.
 *
 * <p>Loading is isolated per version: one that fails to parse or does not fit the limits is
 * remembered as {@link NotLoaded} (by version and stored time, so it is not fetched again until it
 * changes), reported, deletable, and never stops the others from loading. Every registry change
 * holds this object's lock, so {@link #sync} cannot hide a version that {@link #publish} adds
 * after the sync read the store.
 *
 * <p>Every version is warmed up ({@link ModelWarmUp}) before it is added (a trained one by its job,
 * before it commits), so the registry's swap and the start-up readiness both wait for it; a
 * version whose warm-up fails is not loaded. At start-up the web warm-up
 * ({@code io.lrnn.server.predict.WebWarmUp}) runs after this runner ({@link #ORDER}), still before readiness.
 */
@Service
@Order(ModelService.ORDER)
public class ModelService implements ApplicationRunner {

    /** This runner's place among the start-up runners: the web warm-up comes after it. */
    public static final int ORDER = 0;

    private static final Logger log = LoggerFactory.getLogger(ModelService.class);

    /** Share of the maximum heap one upload may hold while it is read and parsed. */
    static final double UPLOAD_HEAP_SHARE = 0.5;

    /** One part of an upload: its size is known before its bytes are read. */
    public interface Part {
        long size();

        byte[] bytes() throws IOException;
    }

    private final ModelRegistry registry;
    private final ModelStore store;
    private final LrnnProperties properties;
    private final ModelWarmUp warmUp;
    private final Clock clock;
    private final ModelLimits limits;
    private final long maxHeap;
    private final AtomicBoolean loaded = new AtomicBoolean();
    private final Map<List<String>, NotLoaded> notLoaded = new ConcurrentHashMap<>();
    private final AtomicBoolean storeUnreachable = new AtomicBoolean();

    @Autowired
    public ModelService(ModelRegistry registry, ModelStore store, LrnnProperties properties, ModelWarmUp warmUp,
                        Clock clock) {
        this(registry, store, properties, warmUp, clock, Runtime.getRuntime().maxMemory());
    }

    /** With the maximum heap given, so that tests can budget for a small JVM. */
    ModelService(ModelRegistry registry, ModelStore store, LrnnProperties properties, ModelWarmUp warmUp, Clock clock,
                 long maxHeap) {
        this.registry = registry;
        this.store = store;
        this.properties = properties;
        this.warmUp = warmUp;
        this.clock = clock;
        this.maxHeap = maxHeap;
        this.limits = limits(properties, maxHeap);
    }

    /** The engine's limits from the configuration, for a JVM whose maximum heap is {@code maxHeap} bytes. */
    static ModelLimits limits(LrnnProperties properties, long maxHeap) {
        LrnnProperties.Models models = properties.models();
        return new ModelLimits(models.maxParameters(), models.maxLayerWorkingSet().toBytes(),
                properties.predict().maxBatch(), Math.max(1, (long) (maxHeap * models.predictHeapShare())));
    }

    @Override
    public void run(ApplicationArguments args) {
        for (ModelDirectory.Entry entry : ModelDirectory.list(properties.models().directory())) {
            loadFromDirectory(entry);
        }
        try {
            sync();
        } catch (RuntimeException e) {
            // The store is unreachable: serve the directory now, the next sync picks the store up.
            log.error("Model store not read at start-up: {}", e.toString());
        }
        loaded.set(true);
        log.info("Loaded {} model versions of {} models ({} could not be loaded)", registry.versionCount(),
                registry.entries().size(), notLoaded.size());
    }

    private synchronized void loadFromDirectory(ModelDirectory.Entry entry) {
        try {
            Model model = ModelFiles.read(entry.dir(), limits);
            warmUp.run(entry.name(), entry.version(), model);
            registry.add(new LoadedModel(entry.name(), entry.version(), model, true, clock.instant()), false);
        } catch (IOException | RuntimeException e) {
            failed(new NotLoaded(entry.name(), entry.version(), NotLoaded.DIRECTORY, explain(message(e)), null));
        }
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

    /** Picks up versions, default versions, labels and traffic splits that any replica changed in the store. */
    public synchronized void sync() {
        Map<List<String>, Instant> stored = store.versions();
        stored.forEach((key, storedAt) -> {
            if (registry.contains(key.get(0), key.get(1))) {
                return;
            }
            NotLoaded known = notLoaded.get(key);
            if (known != null && (known.source().equals(NotLoaded.DIRECTORY) || storedAt.equals(known.storedAt()))) {
                return; // the same files failed before (or a directory version of that name failed)
            }
            loadFromStore(key.get(0), key.get(1), storedAt);
        });
        for (ModelEntry entry : registry.entries()) {
            for (LoadedModel version : entry.versions().values()) {
                if (!version.readOnly() && !stored.containsKey(List.of(version.name(), version.version()))) {
                    registry.remove(version.name(), version.version());
                }
            }
        }
        notLoaded.values().removeIf(n -> n.source().equals(NotLoaded.STORE)
                && !stored.containsKey(List.of(n.name(), n.version())));
        Map<String, String> defaults = store.defaultVersions();
        for (ModelEntry entry : registry.entries()) {
            String wanted = defaults.get(entry.name());
            if (!Objects.equals(wanted, entry.pinnedDefault()) && (wanted == null || registry.contains(entry.name(), wanted))) {
                registry.pinDefault(entry.name(), wanted);
            }
        }
        registry.replaceLabels(store.labels());
    }

    private void loadFromStore(String name, String version, Instant storedAt) {
        ModelStore.Files files;
        try {
            files = store.load(name, version);
        } catch (ModelNotFoundException deletedMeanwhile) {
            return; // another replica deleted it since versions() was read; the next round agrees
        }
        try {
            Model model = ModelFiles.read(files.modelJson(), files.weights(), limits);
            warmUp.run(name, version, model);
            registry.add(new LoadedModel(name, version, model, false, clock.instant()), false);
            notLoaded.remove(List.of(name, version));
        } catch (RuntimeException e) {
            failed(new NotLoaded(name, version, NotLoaded.STORE, explain(message(e)), storedAt));
        }
    }

    private void failed(NotLoaded version) {
        notLoaded.put(List.of(version.name(), version.version()), version);
        log.error("Model {} version {} ({}) not loaded: {}", version.name(), version.version(), version.source(),
                version.reason());
    }

    private static String message(Exception e) {
        if (e instanceof IOException) {
            return "files not readable: " + e; // e.g. NoSuchFileException, whose message is just the path
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** Whether start-up loading has finished. */
    public boolean isLoaded() {
        return loaded.get();
    }

    /** Versions that could not be loaded, with the reason. */
    public List<String> loadErrors() {
        return notLoaded().stream().map(n -> n.name() + "/" + n.version() + ": " + n.reason()).toList();
    }

    /** Versions that are stored but not served, by name and version. */
    public List<NotLoaded> notLoaded() {
        List<NotLoaded> all = new ArrayList<>(notLoaded.values());
        all.sort(Comparator.comparing(NotLoaded::name).thenComparing(NotLoaded::version, VersionOrder.INSTANCE));
        return all;
    }

    /** The versions of {@code name} that are not served. */
    public List<NotLoaded> notLoaded(String name) {
        return notLoaded().stream().filter(n -> n.name().equals(name)).toList();
    }

    /** The engine limits every version is checked against. */
    public ModelLimits limits() {
        return limits;
    }

    /**
     * Checks the parts' sizes, reads and validates both files completely (within the limits, before
     * anything of a declared size is allocated), stores them as sent and only then makes the
     * version visible. Uploads run one at a time, so at most one upload's files are in memory.
     *
     * @throws InvalidModelException  if the files are not a valid model or do not fit (the message names the field)
     * @throws ModelConflictException if the version exists
     */
    public synchronized LoadedModel upload(String name, String version, Part modelJson, Part weights) {
        ModelNames.check("name", name);
        ModelNames.check("version", version);
        checkSize(ModelFiles.MODEL_JSON, modelJson.size(), ModelFiles.MAX_MODEL_JSON_BYTES, "");
        checkSize(ModelFiles.WEIGHTS, weights.size(), ModelFiles.maxWeightsBytes(limits),
                " (" + limits.maxParameters() + " parameters as F64, lrnn.models.max-parameters, plus the header)");
        checkUploadMemory(modelJson.size(), weights.size());
        if (registry.contains(name, version) || notLoaded.containsKey(List.of(name, version))) {
            throw new ModelConflictException("model " + name + " already has a version " + version);
        }
        if (registry.labels(name).labels().containsKey(version)) {
            throw new ModelConflictException("model " + name + " has a label " + version
                    + "; a version cannot take a label's name");
        }
        byte[] json = read(modelJson);
        byte[] bytes = read(weights);
        Model model;
        try {
            model = ModelFiles.read(json, bytes, limits);
        } catch (RuntimeException e) {
            throw new InvalidModelException(explain(message(e)), e);
        }
        warmUp.run(name, version, model);
        store.save(name, version, json, bytes, null);
        return publish(name, version, model);
    }

    /**
     * An upload holds both files and then the values as doubles (twice the bytes of an F32 file),
     * and the JSON tree (a few times model.json); uploads run one at a time, so that must fit in
     * {@link #UPLOAD_HEAP_SHARE} of the heap, or the upload could end the JVM.
     */
    private void checkUploadMemory(long jsonBytes, long weightsBytes) {
        long need = 8 * jsonBytes + 3 * weightsBytes;
        long budget = (long) (maxHeap * UPLOAD_HEAP_SHARE);
        if (need > budget) {
            throw new InvalidModelException(ModelFiles.WEIGHTS + ": expected files whose upload needs at most "
                    + budget / (1 << 20) + " MiB (half the maximum heap) but found about " + need / (1 << 20)
                    + " MiB (" + weightsBytes + " bytes of weights, held with their values as doubles)");
        }
    }

    private static void checkSize(String part, long size, long max, String why) {
        if (size > max) {
            throw new InvalidModelException(part + ": expected at most " + max + " bytes" + why + " but found "
                    + size + " bytes");
        }
    }

    private static byte[] read(Part part) {
        try {
            return part.bytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names the server's property behind an engine limit. */
    private String explain(String message) {
        return message.replace("(limit max-parameters)", "(lrnn.models.max-parameters)")
                .replace("(limit max-layer-working-set)", "(lrnn.models.max-layer-working-set)")
                .replace("of working memory but found", "of working memory (lrnn.models.predict-heap-share "
                        + properties.models().predictHeapShare() + " of the heap; rows: lrnn.predict.max-batch) but found");
    }

    /**
     * Warms up a version that is about to be stored (a trained one, before its job commits), so
     * that {@link #publish} can serve it the moment it is committed.
     *
     * @param version what to call it in the log while its number is not known yet
     * @throws InvalidModelException if its outputs are not finite
     */
    public void warmUp(String name, String version, Model model) {
        warmUp.run(name, version, model);
    }

    /**
     * Makes a version that was just committed to the store visible here at once (others sync);
     * the caller has {@linkplain #warmUp warmed it up} before committing it.
     */
    public synchronized LoadedModel publish(String name, String version, Model model) {
        LoadedModel loaded = new LoadedModel(name, version, model, false, clock.instant());
        registry.add(loaded, true);
        notLoaded.remove(List.of(name, version));
        return loaded;
    }

    /** Stores a trained version (joining the caller's transaction), as F64: bit-exact. */
    public void storeTrained(String name, String version, Model model, String jobId) {
        store.save(name, version, ModelFiles.toJson(model), ModelFiles.toSafeTensors(model, SafeTensors.DType.F64),
                jobId);
    }

    /**
     * The next whole-number version of {@code name}: one more than any served, stored or
     * not-loaded version or label that is a whole number, however many digits it has.
     */
    public String nextVersion(String name) {
        BigInteger highest = BigInteger.ZERO;
        List<String> versions = new ArrayList<>();
        store.versions().keySet().stream().filter(key -> key.get(0).equals(name)).forEach(key -> versions.add(key.get(1)));
        if (registry.contains(name)) {
            versions.addAll(registry.entry(name).versions().keySet());
        }
        notLoaded(name).forEach(n -> versions.add(n.version()));
        versions.addAll(registry.labels(name).labels().keySet()); // a trained version never takes a label's name
        for (String version : versions) {
            if (!version.isEmpty() && version.chars().allMatch(c -> c >= '0' && c <= '9')) {
                highest = highest.max(new BigInteger(version));
            }
        }
        return highest.add(BigInteger.ONE).toString();
    }

    /**
     * Deletes a stored version, served or not; versions from the model directory are read-only,
     * and a version that a label names is kept (409 naming the labels).
     */
    public synchronized void delete(String name, String version) {
        NotLoaded failed = notLoaded.get(List.of(name, version));
        if (failed != null && !registry.contains(name, version)) {
            if (failed.source().equals(NotLoaded.DIRECTORY)) {
                throw readOnly(name, version);
            }
            store.delete(name, version);
            notLoaded.remove(List.of(name, version));
            return;
        }
        LoadedModel model = registry.version(name, version);
        if (model.readOnly()) {
            throw readOnly(name, version);
        }
        store.delete(name, version);
        registry.remove(name, version);
    }

    private static ModelConflictException readOnly(String name, String version) {
        return new ModelConflictException("model " + name + " version " + version
                + " comes from the read-only model directory and cannot be deleted");
    }

    public synchronized void setDefaultVersion(String name, String version) {
        registry.version(name, version);
        store.saveDefaultVersion(name, version);
        registry.pinDefault(name, version);
    }

    /**
     * Points {@code label} of model {@code name} at {@code version} (a version, never a label),
     * creating the label or moving it.
     *
     * @throws InvalidModelException  if the label is not a valid name
     * @throws ModelNotFoundException  if there is no such model or version
     * @throws ModelConflictException  if the model has a version named {@code label}
     */
    public synchronized void setLabel(String name, String label, String version) {
        ModelNames.check("label", label);
        LoadedModel target = registry.version(name, version);
        if (registry.contains(name, label) || notLoaded.containsKey(List.of(name, label))) {
            throw new ModelConflictException("model " + name + " has a version " + label
                    + "; a label cannot take a version's name");
        }
        store.saveLabel(name, label, version, !target.readOnly());
        registry.setLabels(name, registry.labels(name).with(label, version));
    }

    /**
     * @throws ModelNotFoundException  if the model has no such label
     * @throws ModelConflictException  if the traffic split uses it
     */
    public synchronized void deleteLabel(String name, String label) {
        registry.entry(name);
        ModelLabels named = registry.labels(name);
        if (!named.labels().containsKey(label)) {
            throw named.missing(name, label);
        }
        if (named.split() != null && named.split().uses(label)) {
            throw ModelConflictException.inSplit(name, label);
        }
        store.deleteLabel(name, label);
        registry.setLabels(name, named.without(label));
    }

    /**
     * Shares the requests of {@code name} that name no version between two of its labels, by
     * {@code weights} (label to percent); null removes the split (the default version answers again).
     *
     * @throws InvalidModelException unless it is two labels of the model with whole weights adding up to 100
     */
    public synchronized void setSplit(String name, Map<String, ?> weights) {
        registry.entry(name);
        ModelLabels named = registry.labels(name);
        TrafficSplit split = weights == null ? null : TrafficSplit.of(weights);
        if (split != null) {
            for (String label : split.weights().keySet()) {
                if (!named.labels().containsKey(label)) {
                    throw new InvalidModelException("split: expected labels of model " + name + " (labels: "
                            + named.list() + ") but found " + label);
                }
            }
        } else if (named.split() == null) {
            throw new ModelNotFoundException("model " + name + " has no traffic split");
        }
        store.saveSplit(name, split);
        registry.setLabels(name, named.withSplit(split));
    }
}
