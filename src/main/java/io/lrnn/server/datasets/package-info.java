/**
 * Data sets: uploads of CSV or JSON rows read as they stream in, within limits, stored in the
 * store with their column types, listed, loaded for training and deleted when no job needs them.
 */
package io.lrnn.server.datasets;
