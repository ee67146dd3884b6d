/**
 * The database as a dependency that can fail: its health checked in the background (the
 * {@code db} health component, never part of readiness), a short pool timeout, and the failures
 * that mean "unreachable for now", answered as 503 {@code store-unavailable} with Retry-After.
 */
package io.lrnn.server.store;
