/**
 * Training over REST: training-job requests with presets, and the job handler that runs the
 * engine's trainer on a data set and stores the model version it produces.
 */
package io.lrnn.server.training;
