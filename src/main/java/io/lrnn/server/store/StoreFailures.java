package io.lrnn.server.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells "the database is unreachable or overloaded for now" (retry later: 503) from a failure
 * that is a bug or bad data (500 or a 4xx elsewhere). What an outage throws depends on where it
 * hits: no pooled connection within the timeout (Spring's {@code CannotGetJdbcConnectionException},
 * or {@code CannotCreateTransactionException} when a transaction begins), or a connection that
 * dies mid-statement or at commit (the driver's SQLState class 08, 57P admin or crash shutdown).
 */
public final class StoreFailures {

    private static final int MAX_CAUSES = 16;

    private StoreFailures() {
    }

    /** Whether {@code failure}, or one of its causes, says the database is unavailable for now. */
    public static boolean unavailable(Throwable failure) {
        Throwable e = failure;
        for (int depth = 0; e != null && depth < MAX_CAUSES; depth++, e = e.getCause()) {
            if (e instanceof DataAccessResourceFailureException || e instanceof TransientDataAccessException
                    || e instanceof RecoverableDataAccessException || e instanceof CannotCreateTransactionException
                    || e instanceof SQLTransientException || e instanceof SQLRecoverableException
                    || e instanceof SQLNonTransientConnectionException
                    || (e instanceof SQLException sql && unavailableState(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** Connection exceptions (08), insufficient resources (53: too many connections), operator intervention (57P). */
    private static boolean unavailableState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P"));
    }
}
