/**
 * The Open Inference Protocol over gRPC: {@code GRPCInferenceService} of the protocol's public
 * {@code grpc_predict_v2.proto} (stubs generated into {@code io.lrnn.server.grpc.v2}) on
 * {@code lrnn.grpc.port}, predicting through the same {@link io.lrnn.server.predict.PredictionService}
 * as REST: the same budget, limits, checks, messages (as gRPC status codes) and API key.
 */
package io.lrnn.server.grpc;
