package io.lrnn.server.datasets;

import java.util.Optional;

/**
 * Who still needs a data set, asked before it is deleted. Implemented where the users live
 * (training jobs), so this package depends on nothing but the store.
 */
public interface DatasetUsers {

    /** The id of a queued or running job that needs the data set, if any. */
    Optional<String> userOf(String datasetId);
}
