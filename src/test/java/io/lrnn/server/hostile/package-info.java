/**
 * Hostile-input suites over real HTTP against the service in a small-heap JVM of its own
 * ({@link io.lrnn.server.hostile.SmallHeapService}, {@link io.lrnn.server.hostile.RawHttp}).
 */
package io.lrnn.server.hostile;
