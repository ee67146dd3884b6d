package io.lrnn.server.predict;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.lrnn.engine.Model;
import io.lrnn.engine.Task;
import io.lrnn.server.models.LoadedModel;
import io.lrnn.server.models.ModelRegistry;
import io.lrnn.server.models.ModelService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.lrnn.server.common.Json;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Open Inference Protocol (KServe V2) over REST: server metadata and health, model metadata
 * and readiness, and inference with tensors. Inputs are one tensor of shape [B, n] (any name) or
 * one tensor per feature named by it ([B] or [B, 1]), of any numeric datatype, data flat or nested.
 * Outputs are {@value #PREDICTIONS} (FP64 [B, K]) for regression, and {@value #PROBABILITIES}
 * (FP64 [B, K], in the order of the model's labels) plus {@value #LABEL} (BYTES [B]) for
 * classification. With the binary tensor data extension ({@link BinaryTensorData}) inputs may come
 * as raw bytes after the JSON, and outputs asked for as binary data are answered so, as
 * {@code application/octet-stream} with the JSON's length in {@code Inference-Header-Content-Length}.
 * Errors are {@code {"error": "..."}} (see {@code ErrorMapper}): 400 for bad
 * input, 404 for an unknown model or version, 415 for a form or multipart body, 422 for a row
 * whose outputs are not finite, 503 while the models are loading or the predict budget is full.
 * A {@code model_version} may be a label of the model; {@code infer} without one follows the
 * model's traffic split (by {@code X-Request-Id} when given), as the native API does.
 */
@RestController
@RequestMapping("/v2")
@Tag(name = "Open Inference Protocol (V2)", description = "KServe V2 REST: health, metadata and tensor inference")
class OpenInferenceController {

    static final String SERVER_NAME = "lrnn-serve";
    /** The server version when the build recorded none (tests, an IDE). */
    static final String UNKNOWN_VERSION = "dev";
    static final String PLATFORM = "lrnn";
    /** The name model metadata gives the single [B, n] input tensor; requests may use any name. */
    static final String INPUT = "input-0";
    static final String PREDICTIONS = OpenInferenceRequest.PREDICTIONS;
    static final String PROBABILITIES = OpenInferenceRequest.PROBABILITIES;
    static final String LABEL = OpenInferenceRequest.LABEL;
    private static final String INFER_ANSWER = "JSON, or with binary outputs application/octet-stream: the JSON "
            + "(its length in Inference-Header-Content-Length) followed by the outputs' bytes";

    private final PredictionService predictions;
    private final ModelRegistry registry;
    private final ModelService models;
    private final String version;

    OpenInferenceController(PredictionService predictions, ModelRegistry registry, ModelService models,
                            ObjectProvider<BuildProperties> build) {
        this.predictions = predictions;
        this.registry = registry;
        this.models = models;
        BuildProperties info = build.getIfAvailable();
        String packaged = OpenInferenceController.class.getPackage().getImplementationVersion();
        this.version = info != null && info.getVersion() != null ? info.getVersion()
                : packaged != null ? packaged : UNKNOWN_VERSION;
    }

    record ServerMetadata(String name, String version, List<String> extensions) {
    }

    record Live(boolean live) {
    }

    record Ready(boolean ready) {
    }

    record ModelReady(String name, boolean ready) {
    }

    /** A tensor's name, datatype and shape; -1 marks the batch dimension. */
    record TensorMetadata(String name, String datatype, long[] shape) {
    }

    record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
                         List<TensorMetadata> outputs) {
    }

    /**
     * One output tensor; {@code data} is flat, row-major, or null when it is sent as binary data
     * whose size {@code parameters} gives.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record OutputTensor(String name, String datatype, long[] shape, Map<String, Object> parameters, Object data) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record InferenceResponse(@JsonProperty("model_name") String modelName,
                             @JsonProperty("model_version") String modelVersion, String id,
                             List<OutputTensor> outputs) {
    }

    /**
     * The request body, for the API documentation only: the body is streamed with any content
     * type but a form or multipart (JSON, none, text/plain...) by {@link OpenInferenceRequest}.
     */
    @Schema(name = "InferenceRequest")
    record InferenceRequestDoc(String id, Map<String, Object> parameters, List<InputTensorDoc> inputs,
                               List<RequestedOutputDoc> outputs) {
    }

    @Schema(name = "InferenceRequestInput")
    record InputTensorDoc(String name, long[] shape,
                          @Schema(allowableValues = {"FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8",
                                  "UINT16", "UINT32", "UINT64"}) String datatype,
                          Map<String, Object> parameters,
                          @Schema(description = "flat or nested as the shape, row-major") List<Object> data) {
    }

    @Schema(name = "InferenceRequestOutput")
    record RequestedOutputDoc(String name, Map<String, Object> parameters) {
    }

    @GetMapping({"", "/"})
    @Operation(summary = "Server metadata: name, version, extensions")
    ServerMetadata server() {
        return new ServerMetadata(SERVER_NAME, version, List.of(BinaryTensorData.EXTENSION));
    }

    @GetMapping("/health/live")
    @Operation(summary = "Whether the server answers (liveness)")
    Live live() {
        return new Live(true);
    }

    @GetMapping("/health/ready")
    @Operation(summary = "Whether the models are loaded (readiness); 503 until then")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Ready.class)))
    ResponseEntity<Object> ready() {
        if (!models.isLoaded()) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(Map.of("error", "server is not ready: the models are still loading"));
        }
        return ResponseEntity.ok(new Ready(true));
    }

    @GetMapping("/models/{name}")
    @Operation(summary = "Metadata of the model's default version: versions, platform, input and output tensors")
    ModelMetadata model(@PathVariable String name) {
        return metadata(registry.resolve(name, registry.entry(name).defaultVersion()));
    }

    @GetMapping("/models/{name}/versions/{version}")
    @Operation(summary = "Metadata of one model version (or of the version a label names)")
    ModelMetadata modelVersion(@PathVariable String name, @PathVariable String version) {
        return metadata(registry.resolve(name, version));
    }

    @GetMapping("/models/{name}/ready")
    @Operation(summary = "Whether the model's default version is ready (404 if there is no such model)")
    ModelReady modelReady(@PathVariable String name) {
        return new ModelReady(registry.entry(name).name(), true);
    }

    @GetMapping("/models/{name}/versions/{version}/ready")
    @Operation(summary = "Whether one model version is ready (404 if there is no such version)")
    ModelReady modelVersionReady(@PathVariable String name, @PathVariable String version) {
        return new ModelReady(registry.resolve(name, version).name(), true);
    }

    @PostMapping("/models/{name}/infer")
    @Operation(summary = "Infer with the model's default version",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = "application/json",
                            schema = @Schema(implementation = InferenceRequestDoc.class))))
    @ApiResponse(responseCode = "200", description = INFER_ANSWER,
            content = @Content(schema = @Schema(implementation = InferenceResponse.class)))
    ResponseEntity<Object> infer(@PathVariable String name,
                                 @Parameter(description = NativePredictController.REQUEST_ID) @RequestHeader(
                                         name = NativePredictController.REQUEST_ID_HEADER, required = false)
                                 String requestId,
                                 HttpServletRequest request) throws HttpMediaTypeNotSupportedException, IOException {
        return infer(name, new PredictionService.Target(null, null, requestId), request);
    }

    @PostMapping("/models/{name}/versions/{version}/infer")
    @Operation(summary = "Infer with one model version, or the version a label names (a version wins over a label)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = "application/json",
                            schema = @Schema(implementation = InferenceRequestDoc.class))))
    @ApiResponse(responseCode = "200", description = INFER_ANSWER,
            content = @Content(schema = @Schema(implementation = InferenceResponse.class)))
    ResponseEntity<Object> inferVersion(@PathVariable String name, @PathVariable String version,
                                        HttpServletRequest request)
            throws HttpMediaTypeNotSupportedException, IOException {
        return infer(name, new PredictionService.Target(version, null, null), request);
    }

    private ResponseEntity<Object> infer(String name, PredictionService.Target target, HttpServletRequest request)
            throws HttpMediaTypeNotSupportedException, IOException {
        rejectForm(request.getContentType());
        String header = request.getHeader(BinaryTensorData.HEADER);
        long length = request.getContentLengthLong();
        PredictionService.Answer<OpenInferenceRequest> answer = header == null
                ? predictions.predict("v2", name, target, length, request.getInputStream(), OpenInferenceRequest::read)
                : predictions.predictStream("v2", name, target, length, request.getInputStream(),
                        (body, model, maxBatch) -> BinaryTensorData.read(body, header, length, model, maxBatch));
        Prediction prediction = answer.prediction();
        Set<String> binary = answer.request().binaryOutputs();
        List<OutputTensor> outputs = new ArrayList<>(answer.request().outputs().size());
        List<byte[]> data = new ArrayList<>();
        for (String output : answer.request().outputs()) {
            OutputTensor tensor = output.equals(LABEL) ? labels(prediction) : values(output, prediction);
            if (binary.contains(output)) {
                byte[] bytes = tensor.data() instanceof String[] labels ? BinaryTensorData.encode(labels)
                        : BinaryTensorData.encode((double[]) tensor.data());
                data.add(bytes);
                tensor = new OutputTensor(tensor.name(), tensor.datatype(), tensor.shape(),
                        Map.of(BinaryTensorData.SIZE, bytes.length), null);
            }
            outputs.add(tensor);
        }
        LoadedModel loaded = prediction.model();
        InferenceResponse response = new InferenceResponse(loaded.name(), loaded.version(), answer.request().id(),
                outputs);
        return data.isEmpty() ? ResponseEntity.ok(response) : binaryResponse(response, data);
    }

    /** The response's JSON followed by the outputs' binary data, with the JSON's length in a header. */
    private static ResponseEntity<Object> binaryResponse(InferenceResponse response, List<byte[]> data) {
        byte[] json = Json.MAPPER.writeValueAsBytes(response);
        int size = json.length + data.stream().mapToInt(d -> d.length).sum();
        ByteArrayOutputStream body = new ByteArrayOutputStream(size);
        body.writeBytes(json);
        data.forEach(body::writeBytes);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(BinaryTensorData.HEADER, String.valueOf(json.length)).body(body.toByteArray());
    }

    /**
     * A form body ({@code curl -d} without a Content-Type) reaches the controller re-encoded from
     * its parameters, so it cannot be read as the JSON that was sent: 415, naming the type to use.
     */
    private static void rejectForm(String contentType) throws HttpMediaTypeNotSupportedException {
        if (contentType == null) {
            return;
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException e) {
            return;
        }
        if (MediaType.APPLICATION_FORM_URLENCODED.includes(type)) {
            throw new HttpMediaTypeNotSupportedException(type, List.of(MediaType.APPLICATION_JSON), HttpMethod.POST);
        }
    }

    private ModelMetadata metadata(LoadedModel loaded) {
        Model model = loaded.model();
        int n = model.inputs().size();
        int k = model.outputs().size();
        List<TensorMetadata> outputs = model.task() == Task.CLASSIFICATION
                ? List.of(new TensorMetadata(PROBABILITIES, "FP64", new long[] {-1, k}),
                        new TensorMetadata(LABEL, "BYTES", new long[] {-1}))
                : List.of(new TensorMetadata(PREDICTIONS, "FP64", new long[] {-1, k}));
        List<String> versions = List.copyOf(registry.entry(loaded.name()).versions().keySet());
        return new ModelMetadata(loaded.name(), versions, PLATFORM,
                List.of(new TensorMetadata(INPUT, "FP64", new long[] {-1, n})), outputs);
    }

    private static OutputTensor values(String name, Prediction prediction) {
        double[][] rows = prediction.outputs();
        int k = rows[0].length;
        double[] data = new double[rows.length * k];
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(rows[b], 0, data, b * k, k);
        }
        return new OutputTensor(name, "FP64", new long[] {rows.length, k}, null, data);
    }

    private static OutputTensor labels(Prediction prediction) {
        String[] labels = new String[prediction.outputs().length];
        for (int b = 0; b < labels.length; b++) {
            labels[b] = prediction.label(b);
        }
        return new OutputTensor(LABEL, "BYTES", new long[] {labels.length}, null, labels);
    }
}
