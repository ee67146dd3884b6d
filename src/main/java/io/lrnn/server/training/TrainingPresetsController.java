package io.lrnn.server.training;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The presets a training job starts from, read from {@link Presets}: what a request that names only the preset gets. */
@RestController
@RequestMapping("/api/v1/training-presets")
@Tag(name = "Training jobs")
class TrainingPresetsController {

    /** One preset: its layers and training values as a job's resolved {@code request} holds them. */
    record PresetView(String name, boolean isDefault, TrainingRequest.Architecture architecture,
                      TrainingRequest.Hyperparameters training) {
    }

    @GetMapping
    @Operation(summary = "The presets with their architecture and training defaults")
    List<PresetView> list() {
        return Presets.names().stream().map(name -> new PresetView(name, name.equals(Presets.DEFAULT),
                Presets.architecture(name), Presets.training(name, null))).toList();
    }
}
