package io.lrnn.server.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/** Every {@code lrnn.*} setting; defaults live in application.yaml and the README documents each. */
@Validated
@ConfigurationProperties("lrnn")
public record LrnnProperties(@Valid @NotNull @DefaultValue Models models, @Valid @NotNull @DefaultValue Predict predict,
                             @Valid @NotNull @DefaultValue Security security, @Valid @NotNull @DefaultValue Jobs jobs,
                             @Valid @NotNull @DefaultValue Datasets datasets,
                             @Valid @NotNull @DefaultValue Store store,
                             @Valid @NotNull @DefaultValue Training training,
                             @Valid @NotNull @DefaultValue Grpc grpc) {

    /** With the default training and gRPC settings. */
    public LrnnProperties(Models models, Predict predict, Security security, Jobs jobs, Datasets datasets,
                          Store store) {
        this(models, predict, security, jobs, datasets, store, new Training(Training.Events.DEFAULTS), Grpc.DEFAULTS);
    }

    @ConstructorBinding
    public LrnnProperties {
    }

    /**
     * @param directory          read-only model versions loaded at start-up ({@code <name>/<version>/})
     * @param syncInterval       how often the registry picks up versions other replicas added to the store
     * @param maxParameters      most parameters in one model version (checked from model.json before loading)
     * @param maxLayerWorkingSet most memory one layer's buffers may hold for a block of 256 rows
     * @param predictHeapShare   share of the maximum heap that one full predict batch
     *                           ({@code lrnn.predict.max-batch} rows) of a version may need; a version that needs
     *                           more is refused at upload and not loaded from the store
     * @param warmUp             what each version runs before it is served
     */
    public record Models(@NotNull @DefaultValue("models") Path directory,
                         @NotNull @DefaultValue("2s") Duration syncInterval,
                         @Min(1) @DefaultValue("50000000") long maxParameters,
                         @NotNull @DefaultValue("256MB") DataSize maxLayerWorkingSet,
                         @DecimalMin(value = "0.0", inclusive = false) @DecimalMax("1.0") @DefaultValue("0.25")
                         double predictHeapShare,
                         @Valid @NotNull @DefaultValue WarmUp warmUp) {
    }

    /**
     * The warm-up of a model version before it is served (and before the service is ready): its
     * synthetic rows through the batch path and then each through the single-row path, that many
     * times, so the JIT has compiled the engine's hot code before the first request.
     *
     * @param iterations  passes over the rows; 0 disables the warm-up
     * @param rows        synthetic rows (the inputs' means, then seeded rows within two standard
     *                    deviations of them), at most {@code lrnn.predict.max-batch}
     * @param maxDuration longest warm-up of one version; it stops sooner, and the version is served
     */
    public record WarmUp(@Min(0) @Max(1_000_000) @DefaultValue("300") int iterations,
                         @Min(1) @Max(1000) @DefaultValue("16") int rows,
                         @NotNull @DurationMax(minutes = 10) @DefaultValue("5s") Duration maxDuration) {
    }

    /**
     * @param workers           training jobs run at once by this replica
     * @param threadsPerJob     cores one training job uses
     * @param maxQueued         waiting jobs accepted before submits get 503
     * @param maxAttempts       runs of a job whose replica died before it fails
     * @param leaseDuration     how long a claimed job stays claimed without a heartbeat
     * @param heartbeatInterval how often a worker renews its lease and checks for cancellation
     * @param pollInterval      how often an idle worker looks for queued jobs
     * @param retryAfter        the Retry-After given when the queue is full
     * @param maxDuration       longest wall-clock time of one training run (a job's maxDuration may be shorter)
     * @param maxSteps          most optimiser steps one training job may plan (epochs x batches, or maxSteps)
     */
    public record Jobs(@Min(0) @Max(64) @DefaultValue("1") int workers,
                       @Min(1) @Max(256) @DefaultValue("2") int threadsPerJob,
                       @Min(1) @DefaultValue("100") int maxQueued,
                       @Min(1) @Max(100) @DefaultValue("3") int maxAttempts,
                       @NotNull @DefaultValue("30s") Duration leaseDuration,
                       @NotNull @DefaultValue("5s") Duration heartbeatInterval,
                       @NotNull @DefaultValue("1s") Duration pollInterval,
                       @NotNull @DefaultValue("30s") Duration retryAfter,
                       @NotNull @DefaultValue("1h") Duration maxDuration,
                       @Min(1) @DefaultValue("1000000") long maxSteps) {

        /**
         * Checks how the durations relate, so that a replica whose heartbeat could not keep its
         * leases (or that would poll in a busy loop) fails at start-up instead of losing jobs.
         */
        @ConstructorBinding
        public Jobs {
            positive("lrnn.jobs.lease-duration", leaseDuration);
            positive("lrnn.jobs.heartbeat-interval", heartbeatInterval);
            positive("lrnn.jobs.poll-interval", pollInterval);
            positive("lrnn.jobs.max-duration", maxDuration);
            if (leaseDuration != null && heartbeatInterval != null
                    && heartbeatInterval.multipliedBy(2).compareTo(leaseDuration) >= 0) {
                throw new IllegalArgumentException("lrnn.jobs.heartbeat-interval: expected less than half of "
                        + "lrnn.jobs.lease-duration (" + leaseDuration + ") but found " + heartbeatInterval);
            }
            if (retryAfter != null && retryAfter.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("lrnn.jobs.retry-after: expected at least 1s but found "
                        + retryAfter);
            }
        }

        /** With the default training caps (1 hour, 1,000,000 steps). */
        public Jobs(int workers, int threadsPerJob, int maxQueued, int maxAttempts, Duration leaseDuration,
                    Duration heartbeatInterval, Duration pollInterval, Duration retryAfter) {
            this(workers, threadsPerJob, maxQueued, maxAttempts, leaseDuration, heartbeatInterval, pollInterval,
                    retryAfter, Duration.ofHours(1), 1_000_000);
        }

        private static void positive(String name, Duration value) {
            if (value != null && (value.isNegative() || value.isZero())) {
                throw new IllegalArgumentException(name + ": expected a positive duration but found " + value);
            }
        }
    }

    /**
     * @param maxSize    largest data set upload
     * @param maxRows    most rows in a data set
     * @param maxColumns      most columns in a data set (checked in the header and in every record as it is read)
     * @param maxCellLength   most characters in one cell (a CSV cell after unquoting, a JSON string)
     * @param maxRecordLength most characters in one CSV record or JSON row's cells
     */
    public record Datasets(@NotNull @DefaultValue("64MB") DataSize maxSize,
                           @Min(1) @DefaultValue("1000000") int maxRows,
                           @Min(1) @Max(100_000) @DefaultValue("1000") int maxColumns,
                           @Min(1) @DefaultValue("65536") int maxCellLength,
                           @Min(1) @DefaultValue("1048576") int maxRecordLength) {

        @ConstructorBinding
        public Datasets {
        }

        /** With the default cell (64 Ki characters) and record (1 Mi characters) limits. */
        public Datasets(DataSize maxSize, int maxRows, int maxColumns) {
            this(maxSize, maxRows, maxColumns, 65_536, 1_048_576);
        }
    }

    /**
     * @param maxBatch    most rows in one predict request
     * @param maxBodySize largest request body accepted (413 beyond)
     * @param memoryShare share of the heap that predict requests in flight may claim: each body by
     *                    its Content-Length (max-body-size when chunked), then the engine's working
     *                    memory for its rows; 503 beyond
     * @param retryAfter  the Retry-After given when that share is taken, or the large-body slots
     * @param maxLargeBodies most large predict bodies (over 1 MiB, or chunked) read at once, so that
     *                    parsing them cannot take every core from small requests; 0: half the
     *                    cores, at least one; 503 beyond
     */
    public record Predict(@Min(1) @Max(1_000_000) @DefaultValue("1000") int maxBatch,
                          @NotNull @DefaultValue("8MB") DataSize maxBodySize,
                          @DecimalMin("0.01") @DecimalMax("0.9") @DefaultValue("0.25") double memoryShare,
                          @NotNull @DefaultValue("1s") Duration retryAfter,
                          @Min(0) @Max(10_000) @DefaultValue("0") int maxLargeBodies) {

        @ConstructorBinding
        public Predict {
        }

        /** The two sizes with the default budget (a quarter of the heap, Retry-After 1 s). */
        public Predict(int maxBatch, DataSize maxBodySize) {
            this(maxBatch, maxBodySize, 0.25, Duration.ofSeconds(1), 0);
        }

        /** {@link #maxLargeBodies()} with 0 resolved to half the cores (at least one). */
        public int largeBodySlots() {
            return maxLargeBodies > 0 ? maxLargeBodies : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        }
    }

    /**
     * @param apiKey         when set, management endpoints need {@code Authorization: Bearer <apiKey>}
     * @param protectPredict whether predict endpoints need the key too
     */
    public record Security(String apiKey, @DefaultValue("false") boolean protectPredict) {
    }

    /**
     * The database behind jobs, data sets and model versions (predict never waits on it).
     *
     * @param connectionTimeout longest wait for a pooled connection, so a request answers 503 soon
     *                          when the database is unreachable (applied to the pool; its validation
     *                          timeout is half of it)
     * @param retryAfter        the Retry-After of a 503 {@code store-unavailable} answer
     * @param healthInterval    how often the {@code db} health component is checked in the background
     */
    public record Store(@NotNull @DurationMin(millis = 500) @DurationMax(minutes = 5) @DefaultValue("2s")
                        Duration connectionTimeout,
                        @NotNull @DurationMin(seconds = 1) @DefaultValue("5s") Duration retryAfter,
                        @NotNull @DurationMin(millis = 100) @DefaultValue("5s") Duration healthInterval) {
    }

    /** Settings of the training feature beyond the job queue's. */
    public record Training(@Valid @NotNull @DefaultValue Events events) {

        /**
         * The live job event streams ({@code GET /api/v1/training-jobs/{id}/events}).
         *
         * @param pollInterval      how often this replica reads the jobs its streams watch from the store
         * @param heartbeatInterval how long a stream may stay silent before a {@code : keep-alive} comment
         * @param maxConnections    event streams open at once on this replica; 503 beyond
         * @param maxDuration       how long one stream stays open; the client then resumes with Last-Event-ID
         * @param retryAfter        the Retry-After given when every stream is taken
         */
        public record Events(@NotNull @DurationMin(millis = 50) @DefaultValue("500ms") Duration pollInterval,
                             @NotNull @DurationMin(millis = 100) @DefaultValue("15s") Duration heartbeatInterval,
                             @Min(0) @Max(100_000) @DefaultValue("64") int maxConnections,
                             @NotNull @DurationMin(seconds = 1) @DefaultValue("30m") Duration maxDuration,
                             @NotNull @DurationMin(seconds = 1) @DefaultValue("5s") Duration retryAfter) {

            /** The application.yaml defaults. */
            public static final Events DEFAULTS = new Events(Duration.ofMillis(500), Duration.ofSeconds(15), 64,
                    Duration.ofMinutes(30), Duration.ofSeconds(5));
        }
    }

    /**
     * The Open Inference Protocol over gRPC. Its largest message is {@code lrnn.predict.max-body-size},
     * its largest batch {@code lrnn.predict.max-batch}, its key that of {@code lrnn.security}.
     *
     * @param port       the port of the gRPC server; 0 turns it off, -1 takes a free port (tests)
     * @param inlineWork most work (rows x the model's parameters) a ModelInfer call runs on the
     *                   network thread that read it; a larger one runs on a worker thread
     */
    public record Grpc(@Min(-1) @Max(65535) @DefaultValue("8081") int port,
                       @Min(0) @DefaultValue("1048576") long inlineWork) {

        /** The default of {@link #inlineWork()}: well under a millisecond of predict. */
        public static final long INLINE_WORK = 1 << 20;

        /** The application.yaml defaults. */
        public static final Grpc DEFAULTS = new Grpc(8081, INLINE_WORK);
    }
}
