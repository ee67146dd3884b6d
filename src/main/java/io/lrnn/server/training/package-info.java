/**
 * Training over REST: training-job requests with presets, the job handler that runs the
 * engine's trainer on a data set and stores the model version it produces, and the live job
 * event streams (Server-Sent Events) read from what the store records.
 */
package io.lrnn.server.training;
