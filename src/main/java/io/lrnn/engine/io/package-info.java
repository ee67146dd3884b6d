/**
 * Reading and writing a model version as {@code model.json} + {@code weights.safetensors}
 * (LRNN.md section 6), with validation that names the offending field or tensor. Plain library: no Spring.
 */
package io.lrnn.engine.io;
