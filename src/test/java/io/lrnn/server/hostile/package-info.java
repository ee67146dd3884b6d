/**
 * Hostile-input suites over real HTTP against the service in a small-heap JVM of its own
 * ({@link io.lrnn.server.hostile.SmallHeapService}, {@link io.lrnn.server.hostile.RawHttp}): predict,
 * model uploads and data sets, one class and one JVM each, never two at once.
 */
package io.lrnn.server.hostile;
