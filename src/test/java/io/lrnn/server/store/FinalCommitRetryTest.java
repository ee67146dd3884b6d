package io.lrnn.server.store;

import static io.lrnn.server.store.StoreScenarios.awaitJob;
import static io.lrnn.server.store.StoreScenarios.inState;
import static io.lrnn.server.store.StoreScenarios.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.BackgroundApplication;
import io.lrnn.server.HttpTestClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The transaction that stores a trained version and marks its job SUCCEEDED meets a real error
 * of the database: a trigger on {@code training_jobs} raises on the first update to SUCCEEDED
 * (counting tries in a sequence, which a rollback does not undo). A transient error (SQLSTATE
 * 40001, serialization failure) is retried, and the job succeeds with one version; any other
 * error is not, and the job fails with it.
 */
class FinalCommitRetryTest {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    @TempDir
    static Path emptyModels;

    static BackgroundApplication app;
    static HttpTestClient http;
    static JdbcClient jdbc;

    @BeforeAll
    static void start() throws Exception {
        app = StoreScenarios.start(StoreScenarios.replicaArguments(DB, emptyModels, 1, Duration.ofSeconds(5)));
        app.context();
        http = new HttpTestClient(app.port());
        jdbc = JdbcClient.create(DB.dataSource(2));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @BeforeEach
    void dropTrigger() {
        jdbc.sql("DROP TRIGGER IF EXISTS fail_first_final_commit ON training_jobs").update();
        jdbc.sql("DROP SEQUENCE IF EXISTS final_commit_tries").update();
    }

    @Test
    void aTransientErrorInTheFinalCommitIsRetriedAndTheJobSucceedsWithOneVersion() throws Exception {
        failFirstFinalCommit("serialization_failure");
        String id = submit(http, "retried", 30);
        JsonNode done = awaitJob(http, id, "succeeded", Duration.ofSeconds(60), inState("SUCCEEDED"));
        assertThat(done.get("attempt").asInt()).isEqualTo(1);
        assertThat(done.hasNonNull("error")).isFalse();
        assertThat(done.get("result").get("version").asString()).isEqualTo("1");
        assertThat(tries()).as("one failed try, one that went through").isEqualTo(2);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM model_versions WHERE name = 'retried'").query(Long.class).single())
                .isEqualTo(1);
        assertThat(http.postJson("/api/v1/models/retried/predict", "{\"instances\": [[0.2, 0.4]]}").status())
                .isEqualTo(200);
    }

    @Test
    void anErrorThatIsNotTransientIsNotRetriedAndFailsTheJob() throws Exception {
        failFirstFinalCommit("check_violation");
        String id = submit(http, "refused", 30);
        JsonNode done = awaitJob(http, id, "failed", Duration.ofSeconds(60), inState("FAILED"));
        assertThat(done.get("error").asString()).contains("injected");
        assertThat(tries()).as("tried once").isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM model_versions WHERE name = 'refused'").query(Long.class).single())
                .isZero();
    }

    /** Makes the first update of a job from RUNNING to SUCCEEDED raise {@code condition}. */
    private static void failFirstFinalCommit(String condition) {
        jdbc.sql("CREATE SEQUENCE final_commit_tries").update();
        jdbc.sql("CREATE OR REPLACE FUNCTION fail_first_final_commit() RETURNS trigger AS $$ BEGIN "
                + "IF OLD.state = 'RUNNING' AND NEW.state = 'SUCCEEDED' AND nextval('final_commit_tries') = 1 THEN "
                + "RAISE EXCEPTION 'injected %', TG_ARGV[0] USING ERRCODE = TG_ARGV[0]; END IF; "
                + "RETURN NEW; END $$ LANGUAGE plpgsql").update();
        jdbc.sql("CREATE TRIGGER fail_first_final_commit BEFORE UPDATE ON training_jobs FOR EACH ROW "
                + "EXECUTE FUNCTION fail_first_final_commit('" + condition + "')").update();
    }

    private static long tries() {
        return jdbc.sql("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM final_commit_tries")
                .query(Long.class).single();
    }
}
