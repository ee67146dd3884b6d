package io.lrnn.server.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Watches one job row from a thread of its own, recording every change of its state, attempt and
 * lease owner, so a test can check afterwards who held the job when.
 */
public final class JobObserver implements AutoCloseable {

    /** The row as seen at {@code seenAt} (test clock, nanos). */
    record Sample(long seenAt, String state, int attempt, String owner, Instant leaseExpiresAt, Instant startedAt) {

        boolean sameHolding(Sample other) {
            return other != null && state.equals(other.state) && attempt == other.attempt
                    && Objects.equals(owner, other.owner);
        }
    }

    private final JdbcClient jdbc;
    private final String id;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile RuntimeException failure;

    JobObserver(DataSource dataSource, String id) {
        this.jdbc = JdbcClient.create(dataSource);
        this.id = id;
        this.thread = new Thread(this::watch, "job-observer-" + id);
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        Sample last = null;
        while (true) {
            // Read before polling, so that the poll after close() is still recorded: a state
            // reached just before close() is never missed.
            boolean closing = stopped;
            try {
                Sample now = jdbc.sql("SELECT state, attempt, lease_owner, lease_expires_at, started_at "
                        + "FROM training_jobs WHERE id = ?").param(id).query((rs, row) -> new Sample(System.nanoTime(),
                        rs.getString(1), rs.getInt(2), rs.getString(3), instant(rs.getObject(4, OffsetDateTime.class)),
                        instant(rs.getObject(5, OffsetDateTime.class)))).single();
                synchronized (samples) {
                    if (!now.sameHolding(last) || !Objects.equals(now.leaseExpiresAt(), last.leaseExpiresAt())) {
                        samples.add(now);
                    }
                }
                last = now;
                if (closing) {
                    return;
                }
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                failure = e;
                return;
            }
        }
    }

    /** Every change seen so far, oldest first. */
    List<Sample> samples() {
        if (failure != null) {
            throw failure;
        }
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** The distinct holdings (state, attempt, owner), in the order they were seen. */
    List<String> holdings() {
        List<String> holdings = new ArrayList<>();
        Sample previous = null;
        for (Sample s : samples()) {
            if (!s.sameHolding(previous)) {
                holdings.add(s.state() + "#" + s.attempt() + (s.owner() == null ? "" : "@" + s.owner()));
            }
            previous = s;
        }
        return holdings;
    }

    /** The holdings as {@link #holdings()}, with each claim cut to the replica that made it. */
    List<String> replicaHoldings() {
        List<String> holdings = new ArrayList<>();
        for (String holding : holdings()) {
            int at = holding.indexOf('@');
            String held = at < 0 ? holding : holding.substring(0, at + 1) + replicaOf(holding.substring(at + 1));
            if (holdings.isEmpty() || !holdings.get(holdings.size() - 1).equals(held)) {
                holdings.add(held);
            }
        }
        return holdings;
    }

    /** The replica of a claim {@code <replica>/w<worker>/<token>}. */
    public static String replicaOf(String claim) {
        int token = claim.lastIndexOf('/');
        int worker = token < 0 ? -1 : claim.lastIndexOf('/', token - 1);
        return worker < 0 ? claim : claim.substring(0, worker);
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(5_000);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
