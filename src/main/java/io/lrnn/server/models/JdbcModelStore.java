package io.lrnn.server.models;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Model versions as the two files' bytes, as sent, in the {@code model_versions} table; default
 * versions in {@code model_defaults}; labels and traffic splits in {@code model_labels} and
 * {@code model_traffic}.
 */
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
        // The delete locks the row; a label set meanwhile on another replica holds that lock until it commits.
        jdbc.sql("DELETE FROM model_versions WHERE name = ? AND version = ?").params(name, version).update();
        List<String> labels = jdbc.sql("SELECT label FROM model_labels WHERE name = ? AND version = ? ORDER BY label")
                .params(name, version).query(String.class).list();
        if (!labels.isEmpty()) {
            throw ModelConflictException.labelled(name, version, labels); // rolls back
        }
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
        upsert("UPDATE model_defaults SET version = :version WHERE name = :name",
                "INSERT INTO model_defaults (name, version) VALUES (:name, :version)",
                Map.of("name", name, "version", version));
    }

    @Override
    public Map<String, ModelLabels> labels() {
        Map<String, Map<String, String>> labels = new HashMap<>();
        Map<String, TrafficSplit> splits = new HashMap<>();
        // One statement, so one snapshot: every split is read with the labels it names.
        jdbc.sql("SELECT l.name, l.label, l.version, t.first_label, t.first_weight, t.second_label, t.second_weight "
                        + "FROM model_labels l LEFT JOIN model_traffic t ON t.name = l.name")
                .query(rs -> {
                    labels.computeIfAbsent(rs.getString(1), n -> new HashMap<>()).put(rs.getString(2), rs.getString(3));
                    if (rs.getString(4) != null) {
                        splits.put(rs.getString(1), new TrafficSplit(rs.getString(4), rs.getInt(5), rs.getString(6),
                                rs.getInt(7)));
                    }
                });
        Map<String, ModelLabels> models = new HashMap<>();
        labels.forEach((name, named) -> models.put(name, new ModelLabels(named, splits.get(name))));
        return models;
    }

    @Override
    @Transactional
    public void saveLabel(String name, String label, String version, boolean stored) {
        if (stored && jdbc.sql("SELECT version FROM model_versions WHERE name = ? AND version = ? FOR UPDATE")
                .params(name, version).query(String.class).optional().isEmpty()) {
            throw new ModelNotFoundException("model " + name + " has no stored version " + version);
        }
        Map<String, Object> row = Map.of("name", name, "label", label, "version", version);
        int updated = jdbc.sql("UPDATE model_labels SET version = :version WHERE name = :name AND label = :label")
                .params(row).update();
        if (updated == 0) {
            try {
                jdbc.sql("INSERT INTO model_labels (name, label, version) VALUES (:name, :label, :version)")
                        .params(row).update();
            } catch (DuplicateKeyException raced) {
                // In a transaction the insert cannot fall back to an update on PostgreSQL: the client retries.
                throw new ModelConflictException("model " + name + " label " + label
                        + " was created by another request at the same moment; send the change again");
            }
        }
    }

    @Override
    public void deleteLabel(String name, String label) {
        try {
            jdbc.sql("DELETE FROM model_labels WHERE name = ? AND label = ?").params(name, label).update();
        } catch (DataIntegrityViolationException splitUsesIt) {
            throw ModelConflictException.inSplit(name, label);
        }
    }

    @Override
    public void saveSplit(String name, TrafficSplit split) {
        if (split == null) {
            jdbc.sql("DELETE FROM model_traffic WHERE name = ?").param(name).update();
            return;
        }
        Map<String, Object> row = Map.of("name", name, "first", split.first(), "firstWeight", split.firstWeight(),
                "second", split.second(), "secondWeight", split.secondWeight());
        try {
            upsert("UPDATE model_traffic SET first_label = :first, first_weight = :firstWeight, "
                            + "second_label = :second, second_weight = :secondWeight WHERE name = :name",
                    "INSERT INTO model_traffic (name, first_label, first_weight, second_label, second_weight) "
                            + "VALUES (:name, :first, :firstWeight, :second, :secondWeight)", row);
        } catch (DataIntegrityViolationException labelGone) { // a foreign key: a label was deleted meanwhile
            throw new ModelConflictException("split: the labels " + split.first() + " and " + split.second()
                    + " of model " + name + " changed while the split was set; read the model and send it again");
        }
    }

    /** Updates the row, or inserts it when there is none (updating after all if another replica inserted it first). */
    private void upsert(String update, String insert, Map<String, Object> row) {
        if (jdbc.sql(update).params(row).update() == 0) {
            try {
                jdbc.sql(insert).params(row).update();
            } catch (DuplicateKeyException raced) {
                jdbc.sql(update).params(row).update();
            }
        }
    }
}
