package io.lrnn.server.grpc;

import io.lrnn.server.predict.PredictRequest;
import java.util.List;

/**
 * A {@code ModelInfer} request decoded for one model.
 *
 * @param id         the request's id ("" when none)
 * @param rows       the checked feature rows
 * @param outputs    the output tensors to answer, in order
 * @param rawOutputs whether they go in {@code raw_output_contents} rather than {@code contents}
 */
record GrpcRequest(String id, double[][] rows, List<String> outputs, boolean rawOutputs) implements PredictRequest {
}
