package io.lrnn.server.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/** Every {@code lrnn.*} setting; defaults live in application.yaml and the README documents each. */
@Validated
@ConfigurationProperties("lrnn")
public record LrnnProperties(@Valid @NotNull @DefaultValue Models models, @Valid @NotNull @DefaultValue Predict predict,
                             @Valid @NotNull @DefaultValue Security security, @Valid @NotNull @DefaultValue Jobs jobs,
                             @Valid @NotNull @DefaultValue Datasets datasets) {

    /**
     * @param directory    read-only model versions loaded at start-up ({@code <name>/<version>/})
     * @param syncInterval how often the registry picks up versions other replicas added to the store
     */
    public record Models(@NotNull @DefaultValue("models") Path directory,
                         @NotNull @DefaultValue("2s") Duration syncInterval) {
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
     */
    public record Jobs(@Min(0) @Max(64) @DefaultValue("1") int workers,
                       @Min(1) @Max(256) @DefaultValue("2") int threadsPerJob,
                       @Min(1) @DefaultValue("100") int maxQueued,
                       @Min(1) @Max(100) @DefaultValue("3") int maxAttempts,
                       @NotNull @DefaultValue("30s") Duration leaseDuration,
                       @NotNull @DefaultValue("5s") Duration heartbeatInterval,
                       @NotNull @DefaultValue("1s") Duration pollInterval,
                       @NotNull @DefaultValue("30s") Duration retryAfter) {

        /**
         * Checks how the durations relate, so that a replica whose heartbeat could not keep its
         * leases (or that would poll in a busy loop) fails at start-up instead of losing jobs.
         */
        public Jobs {
            positive("lrnn.jobs.lease-duration", leaseDuration);
            positive("lrnn.jobs.heartbeat-interval", heartbeatInterval);
            positive("lrnn.jobs.poll-interval", pollInterval);
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

        private static void positive(String name, Duration value) {
            if (value != null && (value.isNegative() || value.isZero())) {
                throw new IllegalArgumentException(name + ": expected a positive duration but found " + value);
            }
        }
    }

    /**
     * @param maxSize    largest data set upload
     * @param maxRows    most rows in a data set
     * @param maxColumns most columns in a data set
     */
    public record Datasets(@NotNull @DefaultValue("64MB") DataSize maxSize,
                           @Min(1) @DefaultValue("1000000") int maxRows,
                           @Min(1) @DefaultValue("1000") int maxColumns) {
    }

    /**
     * @param maxBatch    most rows in one predict request
     * @param maxBodySize largest request body accepted (413 beyond)
     */
    public record Predict(@Min(1) @Max(1_000_000) @DefaultValue("1000") int maxBatch,
                          @NotNull @DefaultValue("8MB") DataSize maxBodySize) {
    }

    /**
     * @param apiKey         when set, management endpoints need {@code Authorization: Bearer <apiKey>}
     * @param protectPredict whether predict endpoints need the key too
     */
    public record Security(String apiKey, @DefaultValue("false") boolean protectPredict) {
    }
}
