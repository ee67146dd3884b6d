/**
 * The durable job queue shared by every replica: submit, claim under a lease renewed by
 * heartbeat, re-queue when a lease expires, cancel, finish. {@link io.lrnn.server.jobs.JobQueue}
 * is its one public service; the rest is the types it speaks in ({@code Job}, {@code JobState},
 * {@code JobHandler}, {@code JobContext}) and its exceptions. It runs jobs without knowing what
 * they do, but its rows are not fully generic: besides the opaque JSON documents the owning
 * feature reads (request, progress, history), they carry a model name and a data set id as
 * columns, so that jobs can be listed by model and a data set in use refused a delete.
 */
package io.lrnn.server.jobs;
