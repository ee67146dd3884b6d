package io.lrnn.server.models;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where uploaded and trained model versions are kept, shared by every replica: the two files as
 * they were sent (an F32 upload stays F32), parsed by whoever loads them.
 */
public interface ModelStore {

    /** A stored version's model.json and weights.safetensors, byte for byte. */
    record Files(byte[] modelJson, byte[] weights) {
    }

    /**
     * Every stored version ({@code [name, version]}) with the time it was stored (cheap: no file is
     * read). Versions are immutable, so a different time means the version was deleted and stored anew.
     */
    Map<List<String>, Instant> versions();

    /**
     * One version's files.
     *
     * @throws ModelNotFoundException if there is no such version (any more)
     */
    Files load(String name, String version);

    /**
     * Keeps a version whole or not at all; joins the caller's transaction if there is one.
     *
     * @throws ModelConflictException if the version exists
     */
    void save(String name, String version, byte[] modelJson, byte[] weights, String jobId);

    /**
     * Deletes a version and its pin as default, in one transaction.
     *
     * @throws ModelConflictException if a label names the version (then nothing is deleted)
     */
    void delete(String name, String version);

    /** Pinned default versions, by model name. */
    Map<String, String> defaultVersions();

    void saveDefaultVersion(String name, String version);

    /** Every model's labels and traffic split, by model name, as one consistent read. */
    Map<String, ModelLabels> labels();

    /**
     * Points {@code label} at {@code version}. With {@code stored} (a version of the store, not of
     * the model directory) the version's row is locked for the change, so a delete on another
     * replica either comes first (then this fails) or sees the label (then the delete fails).
     *
     * @throws ModelNotFoundException  if {@code stored} and the version is not stored (any more)
     * @throws ModelConflictException  if another request created the same label at the same moment
     */
    void saveLabel(String name, String label, String version, boolean stored);

    /**
     * @throws ModelConflictException if the model's traffic split uses the label
     */
    void deleteLabel(String name, String label);

    /**
     * Sets or, with null, removes the traffic split of {@code name}.
     *
     * @throws ModelConflictException if a label of the split no longer exists
     */
    void saveSplit(String name, TrafficSplit split);
}
