package io.lrnn.server.training;

import io.lrnn.server.datasets.DatasetUsers;
import io.lrnn.server.jobs.JobRepository;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Data sets are in use while a queued or running training job names them. */
@Component
class ActiveJobsUsingDatasets implements DatasetUsers {

    private final JobRepository jobs;

    ActiveJobsUsingDatasets(JobRepository jobs) {
        this.jobs = jobs;
    }

    @Override
    public Optional<String> userOf(String datasetId) {
        return jobs.activeJobUsing(datasetId);
    }
}
