package io.lrnn.server.jobs;

import io.lrnn.server.config.LrnnProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Lets tests in other packages build the queue on a data source and drive it as a worker does:
 * claim, heartbeat, reap, guarded updates, and this package's real workers.
 */
public final class JobsAccess {

    private JobsAccess() {
    }

    /** A queue (a replica's view of the store) on {@code dataSource}. */
    public static JobQueue queue(DataSource dataSource, LrnnProperties properties) {
        return new JobQueue(new JobRepository(JdbcClient.create(dataSource)),
                new TransactionTemplate(new JdbcTransactionManager(dataSource)), properties);
    }

    /** The real workers of one replica on {@code queue}, not yet started, with meters on {@code meters}. */
    public static SmartLifecycle workers(JobQueue queue, JobHandler handler, MeterRegistry meters) {
        return new JobWorkers(queue, handler, new JobMetrics(queue.repository(), meters));
    }

    public static SmartLifecycle workers(JobQueue queue, JobHandler handler) {
        return workers(queue, handler, new SimpleMeterRegistry());
    }

    public static Optional<Job> claim(JobQueue queue, String owner) {
        return queue.claim(owner);
    }

    public static boolean renewLease(JobQueue queue, String id, String owner) {
        return queue.renewLease(id, owner);
    }

    /** How many expired jobs were re-queued, failed and cancelled. */
    public static int[] reapExpired(JobQueue queue) {
        Reaped reaped = queue.reapExpired();
        return new int[] {reaped.requeued(), reaped.failed(), reaped.cancelled()};
    }

    public static Optional<Job> find(JobQueue queue, String id) {
        return queue.repository().find(id);
    }

    public static long count(JobQueue queue, JobState state) {
        return queue.repository().count(state);
    }

    public static boolean saveProgress(JobQueue queue, String id, String owner, String progress, String history) {
        return queue.repository().saveProgress(id, owner, progress, history);
    }

    public static boolean finish(JobQueue queue, String id, String owner, JobState state, String resultVersion,
                                 String error) {
        return queue.repository().finish(id, owner, state, resultVersion, error);
    }

    public static boolean release(JobQueue queue, String id, String owner) {
        return queue.repository().release(id, owner);
    }
}
