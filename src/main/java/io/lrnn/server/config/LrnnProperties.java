package io.lrnn.server.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/** Every {@code lrnn.*} setting; defaults live in application.yaml and the README documents each. */
@Validated
@ConfigurationProperties("lrnn")
public record LrnnProperties(@Valid @NotNull @DefaultValue Models models, @Valid @NotNull @DefaultValue Predict predict,
                             @Valid @NotNull @DefaultValue Security security) {

    /**
     * @param directory      read-only model versions loaded at start-up ({@code <name>/<version>/})
     * @param storeDirectory where uploaded versions are kept
     */
    public record Models(@NotNull @DefaultValue("models") Path directory,
                         @NotNull @DefaultValue("data/models") Path storeDirectory) {
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
