package io.lrnn.server.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for the {@code training_jobs} table, the same on PostgreSQL and H2. Every update that a
 * worker makes is guarded by its claim ({@code lease_owner}, unique per claim, and state RUNNING),
 * so a run whose lease was taken over can no longer change the job. Every job time, lease
 * expiry included, is the database's {@code CURRENT_TIMESTAMP}: replicas whose clocks disagree
 * still agree on when a lease ends.
 */
@Repository
class JobRepository {

    private static final String COLUMNS = "id, seq, state, model_name, dataset_id, request, idempotency_key, attempt, "
            + "max_attempts, cancel_requested, lease_owner, lease_expires_at, progress, history, result_version, "
            + "error, created_at, started_at, finished_at";
    /** The lease's end, {@code :leaseMillis} after now on the database's clock. */
    private static final String LEASE_END =
            "CURRENT_TIMESTAMP + CAST(:leaseMillis AS BIGINT) * INTERVAL '0.001' SECOND";
    /** Running jobs whose lease has ended by the database's clock. */
    private static final String EXPIRED = "state = 'RUNNING' AND lease_expires_at < CURRENT_TIMESTAMP";

    private final JdbcClient jdbc;

    JobRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Job job, String requestDigest) {
        jdbc.sql("INSERT INTO training_jobs (" + COLUMNS.replace("seq, ", "") + ", request_digest) VALUES (:id, "
                        + ":state, :model, :dataset, :request, :key, 0, :maxAttempts, FALSE, NULL, NULL, NULL, NULL, "
                        + "NULL, NULL, CURRENT_TIMESTAMP, NULL, NULL, :digest)")
                .param("digest", requestDigest)
                .param("id", job.id()).param("state", JobState.QUEUED.name()).param("model", job.modelName())
                .param("dataset", job.datasetId()).param("request", job.request()).param("key", job.idempotencyKey())
                .param("maxAttempts", job.maxAttempts()).update();
    }

    Optional<Job> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM training_jobs WHERE id = ?").param(id).query(JobRepository::map)
                .optional();
    }

    /** The digest of the request a job was submitted with (null when none was given). */
    Optional<String> requestDigest(String id) {
        return jdbc.sql("SELECT request_digest FROM training_jobs WHERE id = ?").param(id).query(String.class)
                .optional();
    }

    Optional<Job> findByIdempotencyKey(String key) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM training_jobs WHERE idempotency_key = ?").param(key)
                .query(JobRepository::map).optional();
    }

    /** Jobs newest first, optionally in one state. */
    List<Job> list(JobState state, int offset, int limit) {
        String where = state == null ? "" : " WHERE state = :state";
        var spec = jdbc.sql("SELECT " + COLUMNS + " FROM training_jobs" + where
                + " ORDER BY seq DESC LIMIT :limit OFFSET :offset").param("limit", limit).param("offset", offset);
        if (state != null) {
            spec = spec.param("state", state.name());
        }
        return spec.query(JobRepository::map).list();
    }

    long count(JobState state) {
        return jdbc.sql("SELECT COUNT(*) FROM training_jobs WHERE state = ?").param(state.name()).query(Long.class)
                .single();
    }

    /** How many jobs are in each state, in one query (every state present, 0 when none). */
    Map<JobState, Long> countByState() {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            counts.put(state, 0L);
        }
        jdbc.sql("SELECT state, COUNT(*) FROM training_jobs GROUP BY state")
                .query((RowCallbackHandler) rs -> counts.put(JobState.valueOf(rs.getString(1)), rs.getLong(2)));
        return counts;
    }

    /** A queued or running job that reads data set {@code datasetId}, if any. */
    Optional<String> activeJobUsing(String datasetId) {
        return jdbc.sql("SELECT id FROM training_jobs WHERE dataset_id = ? AND state IN ('QUEUED', 'RUNNING') "
                + "ORDER BY seq LIMIT 1").param(datasetId).query(String.class).optional();
    }

    /** 1 for the next job to run; 0 when the job is not queued. */
    long queuePosition(Job job) {
        if (job.state() != JobState.QUEUED) {
            return 0;
        }
        return jdbc.sql("SELECT COUNT(*) FROM training_jobs WHERE state = 'QUEUED' AND seq <= ?").param(job.seq())
                .query(Long.class).single();
    }

    /**
     * Locks the oldest queued job that nobody else is claiming (call inside a transaction). A job
     * whose cancellation is pending is never claimed, so it cannot hold up the jobs behind it.
     */
    Optional<String> lockNextQueued() {
        return jdbc.sql("SELECT id FROM training_jobs WHERE state = 'QUEUED' AND cancel_requested = FALSE "
                + "ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED").query(String.class).optional();
    }

    /** Counts the attempt and gives the job to {@code claim} for {@code lease}. */
    boolean markRunning(String id, String claim, Duration lease) {
        return jdbc.sql("UPDATE training_jobs SET state = 'RUNNING', attempt = attempt + 1, lease_owner = :claim, "
                        + "lease_expires_at = " + LEASE_END + ", started_at = CURRENT_TIMESTAMP, error = NULL "
                        + "WHERE id = :id AND state = 'QUEUED' AND cancel_requested = FALSE")
                .param("claim", claim).param("leaseMillis", lease.toMillis()).param("id", id).update() == 1;
    }

    /** Extends the lease to {@code lease} from now; false if {@code claim} no longer holds the job. */
    boolean renewLease(String id, String claim, Duration lease) {
        return jdbc.sql("UPDATE training_jobs SET lease_expires_at = " + LEASE_END
                        + " WHERE id = :id AND lease_owner = :claim AND state = 'RUNNING'")
                .param("leaseMillis", lease.toMillis()).param("id", id).param("claim", claim).update() == 1;
    }

    boolean saveProgress(String id, String claim, String progress, String history) {
        return jdbc.sql("UPDATE training_jobs SET progress = :progress, history = :history "
                        + "WHERE id = :id AND lease_owner = :claim AND state = 'RUNNING'")
                .param("progress", progress).param("history", history).param("id", id).param("claim", claim)
                .update() == 1;
    }

    /** Ends a running job {@code claim} holds. */
    boolean finish(String id, String claim, JobState state, String resultVersion, String error) {
        return jdbc.sql("UPDATE training_jobs SET state = :state, result_version = :version, error = :error, "
                        + "finished_at = CURRENT_TIMESTAMP, lease_owner = NULL, lease_expires_at = NULL "
                        + "WHERE id = :id AND lease_owner = :claim AND state = 'RUNNING'")
                .param("state", state.name()).param("version", resultVersion).param("error", error)
                .param("id", id).param("claim", claim).update() == 1;
    }

    /**
     * Puts a running job {@code claim} holds back in the queue, taking back the attempt that its
     * claim counted (a replica that stops on purpose has not failed the job), or cancels it if a
     * user asked for that meanwhile.
     */
    boolean release(String id, String claim) {
        return jdbc.sql("UPDATE training_jobs SET "
                        + "state = CASE WHEN cancel_requested THEN 'CANCELLED' ELSE 'QUEUED' END, "
                        + "attempt = CASE WHEN cancel_requested THEN attempt ELSE attempt - 1 END, "
                        + "finished_at = CASE WHEN cancel_requested THEN CURRENT_TIMESTAMP ELSE NULL END, "
                        + "lease_owner = NULL, lease_expires_at = NULL "
                        + "WHERE id = :id AND lease_owner = :claim AND state = 'RUNNING'")
                .param("id", id).param("claim", claim).update() == 1;
    }

    /** Cancels a queued job at once; returns false if it was not queued. */
    boolean cancelQueued(String id) {
        return jdbc.sql("UPDATE training_jobs SET state = 'CANCELLED', cancel_requested = TRUE, "
                + "finished_at = CURRENT_TIMESTAMP WHERE id = :id AND state = 'QUEUED'").param("id", id).update() == 1;
    }

    /** Asks a running job to stop at its next step; returns false if it was not running. */
    boolean requestCancel(String id) {
        return jdbc.sql("UPDATE training_jobs SET cancel_requested = TRUE WHERE id = ? AND state = 'RUNNING'")
                .param(id).update() == 1;
    }

    boolean isCancelRequested(String id) {
        return jdbc.sql("SELECT cancel_requested FROM training_jobs WHERE id = ?").param(id).query(Boolean.class)
                .optional().orElse(false);
    }

    /**
     * Jobs whose lease expired by the database's clock (their replica died or lost the store):
     * cancelled if a user asked for that, else back to the queue while attempts remain (the
     * attempt stays counted), failed otherwise.
     */
    Reaped reapExpired() {
        int cancelled = jdbc.sql("UPDATE training_jobs SET state = 'CANCELLED', finished_at = CURRENT_TIMESTAMP, "
                        + "lease_owner = NULL, lease_expires_at = NULL "
                        + "WHERE " + EXPIRED + " AND cancel_requested = TRUE")
                .update();
        int failed = jdbc.sql("UPDATE training_jobs SET state = 'FAILED', finished_at = CURRENT_TIMESTAMP, "
                        + "lease_owner = NULL, lease_expires_at = NULL, "
                        + "error = 'the worker running it stopped (lease expired) on each of '"
                        + " || CAST(attempt AS VARCHAR(12)) || ' attempts' "
                        + "WHERE " + EXPIRED + " AND attempt >= max_attempts")
                .update();
        int requeued = jdbc.sql("UPDATE training_jobs SET state = 'QUEUED', lease_owner = NULL, "
                        + "lease_expires_at = NULL WHERE " + EXPIRED + " AND attempt < max_attempts")
                .update();
        return new Reaped(requeued, failed, cancelled);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Job map(ResultSet rs, int row) throws SQLException {
        return new Job(rs.getString("id"), rs.getLong("seq"), JobState.valueOf(rs.getString("state")),
                rs.getString("model_name"), rs.getString("dataset_id"), rs.getString("request"),
                rs.getString("idempotency_key"), rs.getInt("attempt"), rs.getInt("max_attempts"),
                rs.getBoolean("cancel_requested"), rs.getString("lease_owner"), instant(rs, "lease_expires_at"),
                rs.getString("progress"), rs.getString("history"), rs.getString("result_version"),
                rs.getString("error"), instant(rs, "created_at"), instant(rs, "started_at"),
                instant(rs, "finished_at"));
    }
}
