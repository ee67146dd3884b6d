/**
 * The model registry: every loaded model version, swapped in atomically, with its default
 * version; the store that keeps uploaded versions; the model management API.
 */
package io.lrnn.server.models;
