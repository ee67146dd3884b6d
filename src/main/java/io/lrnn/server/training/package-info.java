/**
 * Training over REST: data sets (CSV or JSON rows), training-job requests with presets, and the
 * job handler that runs the engine's trainer and stores the model version it produces.
 */
package io.lrnn.server.training;
