package io.lrnn.server.training;

import io.lrnn.server.datasets.DatasetUsers;
import io.lrnn.server.jobs.JobQueue;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Data sets are in use while a queued or running training job names them. */
@Component
class ActiveJobsUsingDatasets implements DatasetUsers {

    private final JobQueue jobs;

    ActiveJobsUsingDatasets(JobQueue jobs) {
        this.jobs = jobs;
    }

    @Override
    public Optional<String> userOf(String datasetId) {
        return jobs.activeJobUsing(datasetId);
    }
}
