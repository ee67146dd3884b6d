package io.lrnn.server.training;

import io.lrnn.server.config.LrnnProperties;
import io.lrnn.server.jobs.Job;
import io.lrnn.server.jobs.JobNotFoundException;
import io.lrnn.server.jobs.JobQueue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live job event streams of this replica. One poller thread reads each watched job from the
 * store every {@code lrnn.training.events.poll-interval} (one read per job, however many streams
 * watch it) and brings every stream up to date, so a replica that does not run a job streams it
 * as well as the one that does. It also sends the keep-alive comments and ends streams past
 * their maximum duration. Stops first at shutdown, completing every stream so the web server's
 * graceful shutdown does not wait on them.
 */
@Component
class JobEvents implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobEvents.class);
    /** The container's async timeout, past the stream's own maximum duration: a backstop only. */
    private static final long TIMEOUT_MARGIN_MILLIS = 60_000;

    private final JobQueue queue;
    private final JsonMapper json;
    private final LrnnProperties.Training.Events settings;
    private final Set<JobEventStream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private ScheduledExecutorService poller;
    private volatile boolean running;
    /** Set at shutdown: no stream opens any more (before start, streams wait for the poller's first round). */
    private volatile boolean stopping;
    private boolean storeDown;

    JobEvents(JobQueue queue, JsonMapper json, LrnnProperties properties, MeterRegistry meters) {
        this.queue = queue;
        this.json = json;
        this.settings = properties.training().events();
        Gauge.builder("lrnn.training.events.streams", open, AtomicInteger::get)
                .description("Job event streams open on this replica").register(meters);
    }

    /**
     * Opens a stream of job {@code id}: its first frames are sent before this returns.
     *
     * @param lastEventId the {@code Last-Event-ID} header (a step) of a client resuming, or null
     * @throws JobNotFoundException             for an unknown job
     * @throws EventStreamsUnavailableException when every stream is taken or the replica is stopping
     */
    SseEmitter open(String id, String lastEventId) {
        Long resumeAfter = lastEventId == null || lastEventId.isBlank() ? null : step(lastEventId);
        long retryAfter = settings.retryAfter().toSeconds();
        if (stopping) {
            throw EventStreamsUnavailableException.stopping(retryAfter);
        }
        Job job = queue.get(id);
        long queuePosition = queue.queuePosition(job);
        if (open.incrementAndGet() > settings.maxConnections()) {
            open.decrementAndGet();
            throw EventStreamsUnavailableException.full(settings.maxConnections(), retryAfter);
        }
        SseEmitter emitter = new SseEmitter(settings.maxDuration().toMillis() + TIMEOUT_MARGIN_MILLIS);
        JobEventStream stream = new JobEventStream(id, emitter, json, System.nanoTime());
        emitter.onCompletion(() -> release(stream));
        emitter.onTimeout(() -> {
            stream.complete();
            release(stream);
        });
        emitter.onError(error -> {
            stream.close();
            release(stream);
        });
        stream.start(job, queuePosition, resumeAfter, System.nanoTime());
        if (stream.isClosed()) {
            release(stream);
        } else {
            streams.add(stream);
            if (stopping) {
                stream.complete(); // stopped while this one opened
                release(stream);
            }
        }
        return emitter;
    }

    /** Streams open now. */
    int openStreams() {
        return open.get();
    }

    /** One round: every watched job read once, its streams updated; keep-alives; overdue streams ended. */
    void poll() {
        try {
            Map<String, List<JobEventStream>> byJob = new LinkedHashMap<>();
            for (JobEventStream stream : streams) {
                byJob.computeIfAbsent(stream.jobId(), k -> new ArrayList<>()).add(stream);
            }
            for (Map.Entry<String, List<JobEventStream>> watched : byJob.entrySet()) {
                update(watched.getKey(), watched.getValue());
            }
            long now = System.nanoTime();
            for (JobEventStream stream : streams) {
                if (now - stream.openedAt() >= settings.maxDuration().toNanos()) {
                    stream.complete();
                } else {
                    stream.keepAlive(now, settings.heartbeatInterval().toNanos());
                }
                if (stream.isClosed()) {
                    release(stream);
                }
            }
        } catch (RuntimeException e) {
            log.error("Job event poll failed; trying again in {}", settings.pollInterval(), e);
        }
    }

    private void update(String id, List<JobEventStream> watching) {
        Job job;
        try {
            job = queue.get(id);
            if (storeDown) {
                log.info("Job event streams read the store again");
                storeDown = false;
            }
        } catch (JobNotFoundException gone) {
            watching.forEach(JobEventStream::complete);
            return;
        } catch (RuntimeException e) {
            // The store is unreachable for now: the streams stay open (keep-alives go on) and catch up later.
            if (!storeDown) {
                log.warn("Job event streams cannot read the store: {}", e.toString());
                storeDown = true;
            }
            return;
        }
        long now = System.nanoTime();
        for (JobEventStream stream : watching) {
            try {
                stream.update(job, now);
            } catch (RuntimeException e) {
                // A document this stream cannot render must not stop the others: end this one.
                log.error("Job event stream of {} failed; completing it", id, e);
                stream.complete();
            }
        }
    }

    private void release(JobEventStream stream) {
        streams.remove(stream);
        if (stream.release()) {
            open.decrementAndGet();
        }
    }

    private static long step(String lastEventId) {
        try {
            long step = Long.parseLong(lastEventId.trim());
            if (step >= 0) {
                return step;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException("Last-Event-ID", "a step (an integer >= 0) from an earlier event's id",
                "'" + (lastEventId.length() > 40 ? lastEventId.substring(0, 40) + "..." : lastEventId) + "'");
    }

    @Override
    public synchronized void start() {
        stopping = false;
        poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "job-events");
            thread.setDaemon(true);
            return thread;
        });
        long interval = settings.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::poll, interval, interval, TimeUnit.MILLISECONDS);
        running = true;
    }

    /** Ends every stream (clients resume elsewhere with Last-Event-ID) before the web server shuts down. */
    @Override
    public synchronized void stop() {
        stopping = true;
        running = false;
        if (poller != null) {
            poller.shutdown();
            try {
                poller.awaitTermination(settings.pollInterval().toMillis() * 4, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            poller = null;
        }
        for (JobEventStream stream : streams) {
            stream.complete();
            release(stream);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server's graceful shutdown (DEFAULT_PHASE - 1024), which would wait on the streams. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
