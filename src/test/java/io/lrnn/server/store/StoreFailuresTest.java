package io.lrnn.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Which failures mean "the database is unavailable for now" (503) and which are bugs or bad data.
 * The first ones are those DatabaseOutageTest saw, built as Spring and the drivers build them.
 */
class StoreFailuresTest {

    /** Hikari's answer when no connection comes within the connection timeout. */
    private static final SQLTransientConnectionException POOL_TIMEOUT = new SQLTransientConnectionException(
            "HikariPool-1 - Connection is not available, request timed out after 2001ms", "08001");

    @Test
    void noConnectionInTimeIsUnavailable() {
        assertThat(StoreFailures.unavailable(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                POOL_TIMEOUT))).isTrue();
        assertThat(StoreFailures.unavailable(new CannotCreateTransactionException(
                "Could not open JDBC Connection for transaction", POOL_TIMEOUT))).isTrue();
    }

    @Test
    void aConnectionLostMidStatementOrAtCommitIsUnavailable() {
        PSQLException lost = new PSQLException("An I/O error occurred while sending to the backend.",
                PSQLState.CONNECTION_FAILURE, new EOFException());
        assertThat(StoreFailures.unavailable(new DataAccessResourceFailureException("SELECT ...", lost))).isTrue();
        assertThat(StoreFailures.unavailable(new TransactionSystemException("Could not commit JDBC transaction",
                lost))).isTrue();
        SQLException adminShutdown = new SQLException("terminating connection due to administrator command", "57P01");
        assertThat(StoreFailures.unavailable(new UncategorizedSQLException("UPDATE ...", "UPDATE", adminShutdown)))
                .isTrue();
        assertThat(StoreFailures.unavailable(new IllegalStateException("wrapped on the way",
                new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", POOL_TIMEOUT)))).isTrue();
    }

    @Test
    void bugsAndBadDataAreNot() {
        assertThat(StoreFailures.unavailable(new BadSqlGrammarException("SELECT", "SELECT nope",
                new SQLException("relation does not exist", "42P01")))).isFalse();
        assertThat(StoreFailures.unavailable(new DuplicateKeyException("duplicate"))).isFalse();
        assertThat(StoreFailures.unavailable(new DataIntegrityViolationException("value too long",
                new SQLException("value too long", "22001")))).isFalse();
        assertThat(StoreFailures.unavailable(new EmptyResultDataAccessException(1))).isFalse();
        assertThat(StoreFailures.unavailable(new UncategorizedSQLException("UPDATE", "UPDATE",
                new SQLException("odd", "XX000")))).isFalse();
        assertThat(StoreFailures.unavailable(new IllegalArgumentException("not a store failure"))).isFalse();
    }
}
