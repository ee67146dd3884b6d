/**
 * The LRNN engine: network specification, parameters, layers, forward and backward passes and
 * seeded initialisation, as defined in {@code shared/design/LRNN.md}. A plain library: EJML and
 * the JDK only.
 */
package io.lrnn.engine;
