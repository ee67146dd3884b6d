package io.lrnn.server.jobs;

/** What one pass of the reaper did with jobs whose lease had expired. */
record Reaped(int requeued, int failed, int cancelled) {

    int total() {
        return requeued + failed + cancelled;
    }
}
