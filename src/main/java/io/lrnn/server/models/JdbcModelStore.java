package io.lrnn.server.models;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Model versions as the two files' bytes, as sent, in the {@code model_versions} table. */
@Repository
class JdbcModelStore implements ModelStore {

    private final JdbcClient jdbc;
    private final Clock clock;

    JdbcModelStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public Map<List<String>, Instant> versions() {
        Map<List<String>, Instant> versions = new HashMap<>();
        jdbc.sql("SELECT name, version, created_at FROM model_versions").query(rs -> {
            versions.put(List.of(rs.getString(1), rs.getString(2)),
                    rs.getObject(3, OffsetDateTime.class).toInstant());
        });
        return versions;
    }

    @Override
    public Files load(String name, String version) {
        return jdbc.sql("SELECT model_json, weights FROM model_versions WHERE name = ? AND version = ?")
                .params(name, version).query((rs, row) -> new Files(rs.getBytes(1), rs.getBytes(2)))
                .optional().orElseThrow(() -> new ModelNotFoundException("model " + name + " has no stored version "
                        + version));
    }

    @Override
    public void save(String name, String version, byte[] modelJson, byte[] weights, String jobId) {
        try {
            jdbc.sql("INSERT INTO model_versions (name, version, model_json, weights, job_id, created_at) "
                            + "VALUES (:name, :version, :json, :weights, :job, :created)")
                    .param("name", name).param("version", version).param("json", modelJson)
                    .param("weights", weights).param("job", jobId)
                    .param("created", clock.instant().atOffset(ZoneOffset.UTC)).update();
        } catch (DuplicateKeyException e) {
            throw new ModelConflictException("model " + name + " already has a version " + version);
        }
    }

    @Override
    @Transactional
    public void delete(String name, String version) {
        jdbc.sql("DELETE FROM model_versions WHERE name = ? AND version = ?").params(name, version).update();
        jdbc.sql("DELETE FROM model_defaults WHERE name = ? AND version = ?").params(name, version).update();
    }

    @Override
    public Map<String, String> defaultVersions() {
        Map<String, String> defaults = new LinkedHashMap<>();
        jdbc.sql("SELECT name, version FROM model_defaults ORDER BY name")
                .query(rs -> {
                    defaults.put(rs.getString(1), rs.getString(2));
                });
        return defaults;
    }

    @Override
    public void saveDefaultVersion(String name, String version) {
        int updated = jdbc.sql("UPDATE model_defaults SET version = ? WHERE name = ?").params(version, name).update();
        if (updated == 0) {
            try {
                jdbc.sql("INSERT INTO model_defaults (name, version) VALUES (?, ?)").params(name, version).update();
            } catch (DuplicateKeyException raced) {
                jdbc.sql("UPDATE model_defaults SET version = ? WHERE name = ?").params(version, name).update();
            }
        }
    }
}
