package io.lrnn.server.predict;

/** A native predict request once read and checked: its rows, in the model's input order. */
record NativeRequest(double[][] rows) implements PredictRequest {
}
