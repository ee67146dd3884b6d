/**
 * Predictions over HTTP: the native API ({@code /api/v1/models/.../predict}) and the Open
 * Inference Protocol (KServe V2), both through {@link io.lrnn.server.predict.PredictionService}:
 * a byte budget admits the request, a streaming reader checks it as it arrives, the engine runs.
 */
package io.lrnn.server.predict;
