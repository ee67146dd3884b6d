/**
 * Predictions over HTTP: the native API ({@code /api/v1/models/.../predict}) and the Open
 * Inference Protocol (KServe V2), both through {@link io.lrnn.server.predict.PredictionService}.
 */
package io.lrnn.server.predict;
