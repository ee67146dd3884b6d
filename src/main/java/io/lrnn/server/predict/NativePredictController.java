package io.lrnn.server.predict;

import io.lrnn.engine.Task;
import io.lrnn.server.models.LoadedModel;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/models/{name}[/versions/{version}]/predict[?label=]} with {@code {"instances": [...]}}:
 * the version named (or the version a label names), else the label the traffic split picks (by
 * {@code X-Request-Id} when given), else the default version.
 * Regression rows answer {@code {"<output>": value, ...}}; classification rows answer
 * {@code {"label": ..., "probabilities": {"<label>": p, ...}}}.
 */
@RestController
@RequestMapping("/api/v1/models/{name}")
@Tag(name = "Predict", description = "Predictions with the native API")
class NativePredictController {

    /** The header whose value picks the label of a traffic split, the same label for the same id. */
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    static final String REQUEST_ID = "Without a version or label, picks the label of the model's traffic split: "
            + "the same id, the same label (random without)";
    private static final String LABEL = "A label of the model (stable, canary, ...): the version it names answers";

    private final PredictionService service;

    NativePredictController(PredictionService service) {
        this.service = service;
    }

    /** The answer: which model version answered, and one prediction per instance. */
    record PredictResponse(String model, String version, List<Map<String, Object>> predictions) {
    }

    /** The request body, for the API documentation only: the body is streamed by {@link InstancesReader}. */
    @Schema(name = "PredictRequest")
    record PredictRequestDoc(@Schema(description = "rows: arrays of numbers in input order, or objects keyed by "
            + "feature name") List<Object> instances) {
    }

    @PostMapping(path = "/predict", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/*+json"})
    @Operation(summary = "Predict with the model's default version, its traffic split, or the version a label names",
            requestBody = @RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = PredictRequestDoc.class))))
    PredictResponse predict(@PathVariable String name,
                            @Parameter(description = LABEL) @RequestParam(required = false) String label,
                            @Parameter(description = REQUEST_ID) @RequestHeader(name = REQUEST_ID_HEADER,
                                    required = false) String requestId,
                            HttpServletRequest request) throws IOException {
        return predictVersion(name, null, label, requestId, request);
    }

    @PostMapping(path = "/versions/{version}/predict", consumes = {MediaType.APPLICATION_JSON_VALUE,
            "application/*+json"})
    @Operation(summary = "Predict with one version, or the version a label names (a version wins over a label)",
            requestBody = @RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = PredictRequestDoc.class))))
    PredictResponse predictVersion(@PathVariable String name, @PathVariable String version,
                                   @Parameter(description = LABEL) @RequestParam(required = false) String label,
                                   @Parameter(description = REQUEST_ID) @RequestHeader(name = REQUEST_ID_HEADER,
                                           required = false) String requestId,
                                   HttpServletRequest request) throws IOException {
        Prediction prediction = service.predict("native", name, new PredictionService.Target(version, label, requestId),
                request.getContentLengthLong(), request.getInputStream(), InstancesReader::read).prediction();
        LoadedModel loaded = prediction.model();
        List<String> outputs = loaded.model().outputs();
        boolean classification = loaded.model().task() == Task.CLASSIFICATION;
        List<Map<String, Object>> predictions = new ArrayList<>(prediction.outputs().length);
        for (int b = 0; b < prediction.outputs().length; b++) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int k = 0; k < outputs.size(); k++) {
                values.put(outputs.get(k), prediction.outputs()[b][k]);
            }
            if (classification) {
                Map<String, Object> labelled = new LinkedHashMap<>();
                labelled.put("label", prediction.label(b));
                labelled.put("probabilities", values);
                values = labelled;
            }
            predictions.add(values);
        }
        return new PredictResponse(loaded.name(), loaded.version(), predictions);
    }
}
