/**
 * The durable job queue shared by every replica: submit, claim under a lease renewed by
 * heartbeat, re-queue when a lease expires, cancel, finish. It knows jobs, not training.
 */
package io.lrnn.server.jobs;
