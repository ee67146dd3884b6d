package io.lrnn.server;

import io.lrnn.server.config.LrnnProperties;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.util.unit.DataSize;

/** {@link LrnnProperties} with the application.yaml defaults, for tests that build beans by hand. */
public final class TestProperties {

    /** The store settings of application.yaml. */
    public static final LrnnProperties.Store STORE = new LrnnProperties.Store(Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(5));
    static final LrnnProperties.Jobs JOBS = new LrnnProperties.Jobs(1, 2, 100, 3, Duration.ofSeconds(30),
            Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(30));
    /** The warm-up settings of application.yaml. */
    public static final LrnnProperties.WarmUp WARM_UP = new LrnnProperties.WarmUp(300, 16, Duration.ofSeconds(5));
    static final LrnnProperties.Datasets DATASETS = new LrnnProperties.Datasets(DataSize.ofMegabytes(64), 1_000_000,
            1000);

    private TestProperties() {
    }

    public static LrnnProperties of(Path modelDirectory, int maxBatch, DataSize maxBodySize) {
        return of(modelDirectory, maxBatch, maxBodySize, JOBS, DATASETS);
    }

    /** The defaults with the data set limits given. */
    public static LrnnProperties of(LrnnProperties.Datasets datasets) {
        return of(Path.of("models"), 1000, DataSize.ofMegabytes(8), JOBS, datasets);
    }

    /** The defaults with the job settings given. */
    public static LrnnProperties of(LrnnProperties.Jobs jobs) {
        return of(Path.of("models"), 1000, DataSize.ofMegabytes(8), jobs, DATASETS);
    }

    private static LrnnProperties of(Path modelDirectory, int maxBatch, DataSize maxBodySize, LrnnProperties.Jobs jobs,
            LrnnProperties.Datasets datasets) {
        return new LrnnProperties(new LrnnProperties.Models(modelDirectory, Duration.ofSeconds(2), 50_000_000L,
                        DataSize.ofMegabytes(256), 0.25, WARM_UP),
                new LrnnProperties.Predict(maxBatch, maxBodySize), new LrnnProperties.Security(null, false),
                jobs, datasets, STORE);
    }
}
