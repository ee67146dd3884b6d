package io.lrnn.server.models;

import io.lrnn.engine.Model;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Where uploaded and trained model versions are kept, shared by every replica. */
public interface ModelStore {

    /** A stored version, or the reason it could not be read. */
    record Stored(String name, String version, Model model, String error) {
    }

    /** Name and version of every stored version (cheap: no model is read). */
    Set<List<String>> keys();

    /** One version; a version that cannot be read comes back with its error, not as an exception. */
    Stored load(String name, String version);

    /**
     * Keeps a version whole or not at all; joins the caller's transaction if there is one.
     *
     * @throws ModelConflictException if the version exists
     */
    void save(String name, String version, Model model, String jobId);

    void delete(String name, String version);

    /** Pinned default versions, by model name. */
    Map<String, String> defaultVersions();

    void saveDefaultVersion(String name, String version);
}
