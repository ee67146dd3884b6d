package io.lrnn.server.jobs;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Which store errors are worth trying again (the same statement may well succeed a moment later),
 * and a bounded retry with back-off for the writes that end a run, so that a blip of the
 * database does not throw away a job's whole training.
 */
final class TransientErrors {

    private static final Logger log = LoggerFactory.getLogger(TransientErrors.class);
    static final Duration FIRST_BACK_OFF = Duration.ofMillis(100);
    static final Duration MAX_BACK_OFF = Duration.ofSeconds(2);
    static final int MAX_TRIES = 20;

    private TransientErrors() {
    }

    /**
     * True for a lost or refused connection, a timeout, a lock or serialization conflict: anything
     * in the cause chain that is a {@link TransientDataAccessException}, a resource failure (no
     * connection), a transaction that could not begin, an {@link SQLTransientException} or
     * {@link SQLRecoverableException}, or SQLSTATE class 08 (connection), 40001 (serialization
     * failure), 40P01 (deadlock) or 57P01-03 (the server shutting down or starting).
     */
    static boolean isTransient(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof TransientDataAccessException || e instanceof DataAccessResourceFailureException
                    || e instanceof RecoverableDataAccessException || e instanceof CannotCreateTransactionException
                    || e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
                return true;
            }
            if (e instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("40001") || state.equals("40P01")
                        || state.startsWith("57P0")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Runs {@code action}, again after a back-off (100 ms doubling to 2 s) while it fails with a
     * transient error, for at most {@value #MAX_TRIES} tries and never past {@code deadline} (a
     * System.nanoTime, read again before each back-off); any other error, or the last transient
     * one, is thrown.
     */
    static <T> T retry(String what, LongSupplier deadline, Supplier<T> action) {
        long backOff = FIRST_BACK_OFF.toMillis();
        for (int tries = 1; ; tries++) {
            try {
                return action.get();
            } catch (RuntimeException e) {
                long left = deadline.getAsLong() - System.nanoTime();
                if (!isTransient(e) || tries >= MAX_TRIES || left < Duration.ofMillis(backOff).toNanos()) {
                    throw e;
                }
                log.warn("{} failed (try {}), again in {} ms: {}", what, tries, backOff, rootCause(e));
                try {
                    Thread.sleep(backOff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backOff = Math.min(backOff * 2, MAX_BACK_OFF.toMillis());
            }
        }
    }

    /** A deadline {@code budget} from now. */
    static LongSupplier within(Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        return () -> deadline;
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }
}
