/**
 * Training of engine networks: losses, the Adam optimiser, learning-rate schedules and the
 * {@link io.lrnn.engine.train.Trainer}, with progress, cancellation and divergence detection.
 */
package io.lrnn.engine.train;
