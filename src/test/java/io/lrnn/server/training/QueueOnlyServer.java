package io.lrnn.server.training;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole application over real HTTP with no job workers, so submitted jobs stay queued; a
 * queue of 5 and data sets of at most 256 KB. Test classes with this annotation share one context.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lrnn.jobs.workers=0", "lrnn.jobs.max-queued=5", "lrnn.jobs.retry-after=7s",
        "lrnn.jobs.heartbeat-interval=200ms", "lrnn.jobs.poll-interval=200ms", "lrnn.datasets.max-size=256KB"})
@interface QueueOnlyServer {
}
