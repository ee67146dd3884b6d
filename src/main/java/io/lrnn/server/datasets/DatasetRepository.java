package io.lrnn.server.datasets;

import io.lrnn.server.common.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;

/** SQL for the {@code datasets} table. */
@Repository
class DatasetRepository {

    private static final TypeReference<List<Dataset.Column>> COLUMNS = new TypeReference<>() { };

    private final JdbcClient jdbc;

    DatasetRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Dataset dataset, byte[] content) {
        jdbc.sql("INSERT INTO datasets (id, name, row_count, columns, digest, content, created_at) "
                        + "VALUES (:id, :name, :rows, :columns, :digest, :content, :created)")
                .param("id", dataset.id()).param("name", dataset.name()).param("rows", dataset.rows())
                .param("columns", Json.MAPPER.writeValueAsString(dataset.columns())).param("digest", dataset.digest())
                .param("content", content).param("created", dataset.createdAt().atOffset(ZoneOffset.UTC)).update();
    }

    Optional<Dataset> find(String id) {
        return jdbc.sql("SELECT id, name, row_count, columns, digest, created_at FROM datasets WHERE id = ?")
                .param(id).query(DatasetRepository::map).optional();
    }

    /** The data set, its row locked for update until the transaction ends. */
    Optional<Dataset> lock(String id) {
        return jdbc.sql("SELECT id, name, row_count, columns, digest, created_at FROM datasets WHERE id = ? FOR UPDATE")
                .param(id).query(DatasetRepository::map).optional();
    }

    Optional<byte[]> content(String id) {
        return jdbc.sql("SELECT content FROM datasets WHERE id = ?").param(id).query(byte[].class).optional();
    }

    List<Dataset> list() {
        return jdbc.sql("SELECT id, name, row_count, columns, digest, created_at FROM datasets ORDER BY created_at DESC")
                .query(DatasetRepository::map).list();
    }

    boolean delete(String id) {
        return jdbc.sql("DELETE FROM datasets WHERE id = ?").param(id).update() == 1;
    }

    private static Dataset map(ResultSet rs, int row) throws SQLException {
        return new Dataset(rs.getString("id"), rs.getString("name"), rs.getInt("row_count"),
                Json.MAPPER.readValue(rs.getString("columns"), COLUMNS), rs.getString("digest"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
