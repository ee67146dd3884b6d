package io.lrnn.server.models;

import java.time.Instant;

/**
 * A stored version that is not served: its files failed to parse or do not fit this replica's
 * limits. {@code storedAt} identifies the stored content (versions are immutable), so the same
 * files are not fetched and parsed again on every sync.
 *
 * @param source "store" (can be deleted over the API) or "directory" (read-only)
 */
public record NotLoaded(String name, String version, String source, String reason, Instant storedAt) {

    static final String STORE = "store";
    static final String DIRECTORY = "directory";
}
