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

    void delete(String name, String version);

    /** Pinned default versions, by model name. */
    Map<String, String> defaultVersions();

    void saveDefaultVersion(String name, String version);
}
