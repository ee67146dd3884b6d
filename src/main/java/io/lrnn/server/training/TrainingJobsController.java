package io.lrnn.server.training;

import io.lrnn.server.jobs.Job;
import io.lrnn.server.jobs.JobQueue;
import io.lrnn.server.jobs.JobState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Training jobs: submit (202 + Location), status, live events, list, cancel. */
@RestController
@RequestMapping("/api/v1/training-jobs")
@Tag(name = "Training jobs", description = "Train a model version from a data set on the job queue")
class TrainingJobsController {

    static final int MAX_PAGE_SIZE = 200;

    private final TrainingJobService service;
    private final JobQueue queue;
    private final JobEvents events;

    TrainingJobsController(TrainingJobService service, JobQueue queue, JobEvents events) {
        this.service = service;
        this.queue = queue;
        this.events = events;
    }

    @PostMapping
    @Operation(summary = "Submit a training job; a retry with the same Idempotency-Key returns the same job")
    ResponseEntity<TrainingJobView> submit(@RequestBody TrainingRequest request,
                                           @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        JobQueue.Submitted submitted = service.submit(request, key);
        Job job = submitted.job();
        return ResponseEntity.status(submitted.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .location(URI.create("/api/v1/training-jobs/" + job.id()))
                .body(TrainingJobView.of(job, queue.queuePosition(job), false));
    }

    @GetMapping("/{id}")
    @Operation(summary = "A job's state, progress, loss history, result or error")
    TrainingJobView get(@PathVariable String id) {
        Job job = queue.get(id);
        return TrainingJobView.of(job, queue.queuePosition(job), true);
    }

    @GetMapping("/{id}/events")
    @Operation(summary = "Live job events (Server-Sent Events): a snapshot, a progress event per progress report, "
            + "then the end with the final job; resume with Last-Event-ID",
            description = "Frames: `event: snapshot` (id: the latest step, data: the job as GET returns it), "
                    + "`event: progress` (id: the step, data: the progress document plus state), `event: state` "
                    + "(data: {state, attempt}, when the job moves between QUEUED and RUNNING), `event: end` "
                    + "(data: the final job), and `: keep-alive` comments. With Last-Event-ID: n, no snapshot: "
                    + "the stored history points after step n come first as progress events. "
                    + "503 with Retry-After when lrnn.training.events.max-connections streams are open.",
            responses = {
                    @ApiResponse(responseCode = "200", description = "The event stream",
                            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                                    schema = @Schema(type = "string"))),
                    @ApiResponse(responseCode = "404", description = "No such job",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE)),
                    @ApiResponse(responseCode = "503", description = "Every event stream of this replica is taken",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))})
    ResponseEntity<SseEmitter> events(@PathVariable String id,
            @Parameter(description = "The id of the last event received (a step), to resume after it")
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        // No caching, and no buffering by a proxy such as nginx: each event is sent as it happens.
        return ResponseEntity.ok().cacheControl(CacheControl.noCache()).header("X-Accel-Buffering", "no")
                .body(events.open(id, lastEventId));
    }

    @GetMapping
    @Operation(summary = "Jobs, newest first, optionally in one state; page from 0")
    List<TrainingJobView> list(@RequestParam(required = false) String state,
                               @RequestParam(defaultValue = "0") int page,
                               @RequestParam(defaultValue = "50") int size) {
        JobState filter = state == null ? null : parseState(state);
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE || (long) page * size > Integer.MAX_VALUE) {
            throw new InvalidRequestException("page/size", "page >= 0, size from 1 to " + MAX_PAGE_SIZE
                    + " and page * size at most " + Integer.MAX_VALUE, page + "/" + size);
        }
        return queue.list(filter, page * size, size).stream()
                .map(job -> TrainingJobView.of(job, queue.queuePosition(job), false)).toList();
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel: a queued job at once, a running one at its next step")
    TrainingJobView cancel(@PathVariable String id) {
        Job job = queue.cancel(id);
        return TrainingJobView.of(job, queue.queuePosition(job), false);
    }

    private static JobState parseState(String state) {
        try {
            return JobState.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("state", "one of " + List.of(JobState.values()), state);
        }
    }
}
