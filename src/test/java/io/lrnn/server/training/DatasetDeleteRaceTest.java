package io.lrnn.server.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.datasets.DatasetInUseException;
import io.lrnn.server.datasets.DatasetNotFoundException;
import io.lrnn.server.datasets.DatasetService;
import io.lrnn.server.jobs.JobQueue;
import io.lrnn.server.store.PostgresTestDatabase;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Deleting a data set while a job that needs it is being submitted, on a real PostgreSQL. Each
 * side is stopped half-way by a transaction the test holds open (as the other side would hold
 * it), so the interleaving is the racy one every time: the delete must then see the job (409),
 * or the submit must see the data set gone (404, no job); never a queued job without its data.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "lrnn.jobs.workers=0")
class DatasetDeleteRaceTest {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    static final String CSV = "x,y\n1,2\n2,4\n3,6\n4,8\n";
    /** How long the blocked side is given to (wrongly) finish before the test lets the other side on. */
    static final long BLOCKED_MILLIS = 500;

    static final ExecutorService SIDE = Executors.newSingleThreadExecutor();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DB::url);
        registry.add("spring.datasource.username", DB::user);
        registry.add("spring.datasource.password", DB::password);
    }

    @AfterAll
    static void stop() {
        SIDE.shutdownNow();
    }

    @Autowired
    DatasetService datasets;

    @Autowired
    TrainingJobService training;

    @Autowired
    JobQueue queue;

    String upload() {
        return datasets.createFromCsv("race", new ByteArrayInputStream(CSV.getBytes(StandardCharsets.UTF_8))).id();
    }

    TrainingRequest request(String dataset) {
        return new TrainingRequest("race", dataset, null, List.of("x"), List.of("y"), "regression", null, null, null);
    }

    @Test
    void aSubmitDuringADeleteWaitsAndFindsTheDataSetGone() throws Exception {
        String dataset = upload();
        DataSource direct = DB.dataSource(1);
        try (Connection deleting = direct.getConnection()) {
            deleting.setAutoCommit(false);
            lock(deleting, dataset); // a delete that has checked for jobs and is about to delete
            Future<?> submit = SIDE.submit(() -> training.submit(request(dataset), null));
            assertBlocked(submit);
            try (PreparedStatement delete = deleting.prepareStatement("DELETE FROM datasets WHERE id = ?")) {
                delete.setString(1, dataset);
                assertThat(delete.executeUpdate()).isEqualTo(1);
            }
            deleting.commit();
            assertThat(failure(submit)).isInstanceOf(DatasetNotFoundException.class);
            assertThat(jobsUsing(deleting, dataset)).as("no job without its data set").isZero();
        }
    }

    @Test
    void aDeleteDuringASubmitWaitsAndSeesTheJob() throws Exception {
        String dataset = upload();
        DataSource direct = DB.dataSource(1);
        try (Connection submitting = direct.getConnection()) {
            submitting.setAutoCommit(false);
            lock(submitting, dataset); // a submit that has checked the data set and is about to queue
            Future<?> delete = SIDE.submit(() -> datasets.delete(dataset));
            assertBlocked(delete);
            String job = "job-race-" + dataset;
            try (PreparedStatement insert = submitting.prepareStatement("INSERT INTO training_jobs (id, state, "
                    + "model_name, dataset_id, request, attempt, max_attempts, cancel_requested, created_at) "
                    + "VALUES (?, 'QUEUED', 'race', ?, '{}', 0, 3, FALSE, ?)")) {
                insert.setString(1, job);
                insert.setString(2, dataset);
                insert.setTimestamp(3, Timestamp.from(Instant.now()));
                insert.executeUpdate();
            }
            submitting.commit();
            assertThat(failure(delete)).isInstanceOf(DatasetInUseException.class).hasMessageContaining(job);
            assertThat(datasets.get(dataset).id()).isEqualTo(dataset);
            queue.cancel(job);
        }
    }

    @Test
    void withoutARaceTheSubmitQueuesAndTheDeleteIsRefused() {
        String dataset = upload();
        JobQueue.Submitted submitted = training.submit(request(dataset), null);
        assertThat(submitted.created()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> datasets.delete(dataset))
                .isInstanceOf(DatasetInUseException.class);
        queue.cancel(submitted.job().id());
        datasets.delete(dataset);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> training.submit(request(dataset), null))
                .isInstanceOf(DatasetNotFoundException.class);
    }

    static void lock(Connection connection, String dataset) throws Exception {
        try (PreparedStatement lock = connection.prepareStatement("SELECT id FROM datasets WHERE id = ? FOR UPDATE")) {
            lock.setString(1, dataset);
            try (ResultSet row = lock.executeQuery()) {
                assertThat(row.next()).isTrue();
            }
        }
    }

    /** The other side must be waiting for the row lock (a side that does not lock finishes at once). */
    static void assertBlocked(Future<?> side) throws Exception {
        try {
            side.get(BLOCKED_MILLIS, TimeUnit.MILLISECONDS);
            throw new AssertionError("expected the other side to wait for the data set's row lock, but it finished");
        } catch (TimeoutException expected) {
            // waiting, as it should
        } catch (ExecutionException finished) {
            throw new AssertionError("expected the other side to wait for the data set's row lock, but it failed",
                    finished.getCause());
        }
    }

    static Throwable failure(Future<?> side) throws Exception {
        try {
            side.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected the other side to fail once the lock was released");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    static int jobsUsing(Connection connection, String dataset) throws Exception {
        try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM training_jobs WHERE dataset_id = ?")) {
            count.setString(1, dataset);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}
