package io.lrnn.server.grpc;

import io.grpc.stub.StreamObserver;
import io.lrnn.engine.Footprint;
import io.lrnn.engine.Model;
import io.lrnn.server.config.LrnnProperties;
import io.lrnn.server.grpc.v2.GRPCInferenceServiceGrpc;
import io.lrnn.server.grpc.v2.ModelInferRequest;
import io.lrnn.server.grpc.v2.ModelInferResponse;
import io.lrnn.server.grpc.v2.ModelMetadataRequest;
import io.lrnn.server.grpc.v2.ModelMetadataResponse;
import io.lrnn.server.grpc.v2.ModelReadyRequest;
import io.lrnn.server.grpc.v2.ModelReadyResponse;
import io.lrnn.server.grpc.v2.ServerLiveRequest;
import io.lrnn.server.grpc.v2.ServerLiveResponse;
import io.lrnn.server.grpc.v2.ServerMetadataRequest;
import io.lrnn.server.grpc.v2.ServerMetadataResponse;
import io.lrnn.server.grpc.v2.ServerReadyRequest;
import io.lrnn.server.grpc.v2.ServerReadyResponse;
import io.lrnn.server.models.LoadedModel;
import io.lrnn.server.models.ModelRegistry;
import io.lrnn.server.models.ModelService;
import io.lrnn.server.predict.InvalidInputException;
import io.lrnn.server.predict.OpenInferenceTensors;
import io.lrnn.server.predict.PredictionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;

/**
 * {@code GRPCInferenceService}: the six RPCs of the Open Inference Protocol, answered as the REST
 * API under {@code /v2} answers them (same names, versions, tensors and messages). While the
 * models are loading, ServerReady and ModelReady say false and the calls that need a model are
 * UNAVAILABLE; an empty version means the model's default one.
 */
@Component
class InferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase implements DisposableBean {

    static final String SERVER_NAME = "lrnn-serve";
    static final String PLATFORM = "lrnn";
    static final String INPUT = "input-0";

    private final PredictionService predictions;
    private final ModelRegistry registry;
    private final ModelService models;
    private final String version;
    private final long inlineWork;
    private final AtomicInteger workerCount = new AtomicInteger();
    private final ExecutorService workers = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "grpc-infer-" + workerCount.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    InferenceService(PredictionService predictions, ModelRegistry registry, ModelService models,
                     LrnnProperties properties, ObjectProvider<BuildProperties> build) {
        this.inlineWork = properties.grpc().inlineWork();
        this.predictions = predictions;
        this.registry = registry;
        this.models = models;
        String built = build.getIfAvailable() == null ? null : build.getIfAvailable().getVersion();
        this.version = built != null ? built : "dev";
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> answer) {
        respond(answer, () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> answer) {
        respond(answer, () -> ServerReadyResponse.newBuilder().setReady(models.isLoaded()).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> answer) {
        respond(answer, () -> {
            if (models.isLoaded()) {
                registry.resolve(name(request.getName(), "name"), orNull(request.getVersion()));
            }
            return ModelReadyResponse.newBuilder().setReady(models.isLoaded()).build();
        });
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> answer) {
        respond(answer, () -> ServerMetadataResponse.newBuilder().setName(SERVER_NAME).setVersion(version).build());
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> answer) {
        respond(answer, () -> metadata(loaded(request.getName(), "name", request.getVersion())));
    }

    /**
     * Infers on the network thread that read the call when its work (rows x parameters) is at most
     * {@code lrnn.grpc.inline-work}, as almost every small call's is: no hand-off. A larger call runs
     * on a worker thread, so that it holds up no other call of that network thread.
     */
    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> answer) {
        if (work(request) <= inlineWork) {
            respond(answer, () -> infer(request));
        } else {
            workers.execute(() -> respond(answer, () -> infer(request)));
        }
    }

    private ModelInferResponse infer(ModelInferRequest request) {
        String name = name(request.getModelName(), "model_name");
        requireLoaded();
        PredictionService.Answer<GrpcRequest> result = predictions.predictDecoded("grpc", name,
                orNull(request.getModelVersion()), orNull(request.getId()), request.getSerializedSize(),
                (model, maxBatch) -> TensorCodec.decode(request, model, maxBatch));
        return TensorCodec.encode(result.request(), result.prediction());
    }

    /** Rows (the first input's batch dimension) x the model's parameters; 0 for a call that will fail at once. */
    private long work(ModelInferRequest request) {
        String version = orNull(request.getModelVersion());
        if (request.getInputsCount() == 0 || !models.isLoaded() || !registry.contains(request.getModelName())) {
            return 0;
        }
        ModelInferRequest.InferInputTensor first = request.getInputs(0);
        long rows = first.getShapeCount() == 0 ? 1 : Math.max(first.getShape(0), 1);
        try {
            long parameters = Footprint.parameters(registry.resolve(request.getModelName(), version).model().spec());
            return rows > Long.MAX_VALUE / Math.max(parameters, 1) ? Long.MAX_VALUE : rows * parameters;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void destroy() {
        workers.shutdownNow();
    }

    private LoadedModel loaded(String name, String field, String version) {
        String checked = name(name, field);
        requireLoaded();
        return registry.resolve(checked, orNull(version));
    }

    private void requireLoaded() {
        if (!models.isLoaded()) {
            throw new NotReadyException();
        }
    }

    private static String name(String name, String field) {
        if (name.isEmpty()) {
            throw new InvalidInputException(field, "a model name", "none");
        }
        return name;
    }

    private static String orNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private ModelMetadataResponse metadata(LoadedModel loaded) {
        Model model = loaded.model();
        ModelMetadataResponse.Builder metadata = ModelMetadataResponse.newBuilder().setName(loaded.name())
                .setPlatform(PLATFORM).addAllVersions(registry.entry(loaded.name()).versions().keySet());
        metadata.addInputsBuilder().setName(INPUT).setDatatype("FP64").addShape(-1).addShape(model.inputs().size());
        for (String output : OpenInferenceTensors.outputNames(model)) {
            ModelMetadataResponse.TensorMetadata.Builder tensor = metadata.addOutputsBuilder().setName(output);
            if (output.equals(OpenInferenceTensors.LABEL)) {
                tensor.setDatatype("BYTES").addShape(-1);
            } else {
                tensor.setDatatype("FP64").addShape(-1).addShape(model.outputs().size());
            }
        }
        return metadata.build();
    }

    /** Answers with {@code call}'s value, or with the status its exception maps to. */
    private static <T> void respond(StreamObserver<T> answer, Supplier<T> call) {
        T value;
        try {
            value = call.get();
        } catch (RuntimeException e) {
            answer.onError(GrpcErrors.of(e));
            return;
        }
        answer.onNext(value);
        answer.onCompleted();
    }
}
