/**
 * Cross-cutting web concerns: the one place that maps exceptions to HTTP answers (RFC 9457
 * problem+json, or {@code {"error": ...}} on the Open Inference Protocol), request limits,
 * the API key, and the OpenAPI description.
 */
package io.lrnn.server.web;
