package io.lrnn.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Which store errors the final commit tries again, and how often. */
class TransientErrorsTest {

    @Test
    void connectionLossesConflictsAndTheirSqlStatesAreTransient() {
        assertThat(TransientErrors.isTransient(new CannotGetJdbcConnectionException("no connection"))).isTrue();
        assertThat(TransientErrors.isTransient(new CannotCreateTransactionException("no connection",
                new SQLTransientConnectionException("refused")))).isTrue();
        assertThat(TransientErrors.isTransient(new CannotAcquireLockException("locked"))).isTrue();
        assertThat(TransientErrors.isTransient(new UncategorizedSQLException("commit", "COMMIT",
                new SQLException("could not serialize access", "40001")))).isTrue();
        assertThat(TransientErrors.isTransient(new UncategorizedSQLException("update", "UPDATE",
                new SQLException("terminating connection due to administrator command", "57P01")))).isTrue();
        assertThat(TransientErrors.isTransient(new RuntimeException(new SQLException("broken pipe", "08006"))))
                .isTrue();
    }

    @Test
    void constraintViolationsAndOtherErrorsAreNot() {
        assertThat(TransientErrors.isTransient(new DataIntegrityViolationException("duplicate key"))).isFalse();
        assertThat(TransientErrors.isTransient(new UncategorizedSQLException("update", "UPDATE",
                new SQLException("check violation", "23514")))).isFalse();
        assertThat(TransientErrors.isTransient(new IllegalStateException("a bug"))).isFalse();
    }

    @Test
    void aTransientErrorIsRetriedUntilTheActionSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        String result = TransientErrors.retry("test", TransientErrors.within(Duration.ofSeconds(10)), () -> {
            if (calls.incrementAndGet() < 3) {
                throw new CannotGetJdbcConnectionException("blip");
            }
            return "stored";
        });
        assertThat(result).isEqualTo("stored");
        assertThat(calls).hasValue(3);
    }

    @Test
    void otherErrorsAreThrownAtOnceAndTransientOnesOnceTheDeadlinePasses() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> TransientErrors.retry("test", TransientErrors.within(Duration.ofSeconds(10)), () -> {
            calls.incrementAndGet();
            throw new DataIntegrityViolationException("duplicate key");
        })).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(calls).hasValue(1);

        AtomicInteger transientCalls = new AtomicInteger();
        // The deadline moves, as a renewed lease moves it; here it passes after the third try.
        assertThatThrownBy(() -> TransientErrors.retry("test", () -> System.nanoTime()
                + (transientCalls.get() < 3 ? Duration.ofHours(1).toNanos() : 0), () -> {
            transientCalls.incrementAndGet();
            throw new CannotGetJdbcConnectionException("down");
        })).isInstanceOf(CannotGetJdbcConnectionException.class);
        assertThat(transientCalls).hasValue(3);
    }
}
