package io.lrnn.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lrnn.server.LrnnServeApplication;
import io.lrnn.server.config.LrnnProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Job settings that could not keep leases, or would spin, stop the server at start-up with a message naming them. */
class JobSettingsTest {

    static LrnnProperties.Jobs jobs(Duration lease, Duration heartbeat, Duration poll, Duration retryAfter) {
        return new LrnnProperties.Jobs(1, 1, 10, 3, lease, heartbeat, poll, retryAfter);
    }

    @Test
    void theHeartbeatMustBeShorterThanHalfTheLease() {
        assertThatThrownBy(() -> jobs(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(1),
                Duration.ofSeconds(30))).hasMessage("lrnn.jobs.heartbeat-interval: expected less than half of "
                + "lrnn.jobs.lease-duration (PT10S) but found PT5S");
        assertThat(jobs(Duration.ofSeconds(10), Duration.ofMillis(4999), Duration.ofSeconds(1), Duration.ofSeconds(30))
                .heartbeatInterval()).isEqualTo(Duration.ofMillis(4999));
    }

    @Test
    void durationsMustBePositiveAndRetryAfterAtLeastASecond() {
        assertThatThrownBy(() -> jobs(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(30))).hasMessageContaining("lrnn.jobs.lease-duration: expected a positive duration");
        assertThatThrownBy(() -> jobs(Duration.ofSeconds(30), Duration.ofSeconds(-1), Duration.ofSeconds(1),
                Duration.ofSeconds(30))).hasMessageContaining("lrnn.jobs.heartbeat-interval: expected a positive");
        assertThatThrownBy(() -> jobs(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ZERO,
                Duration.ofSeconds(30))).hasMessageContaining("lrnn.jobs.poll-interval: expected a positive duration "
                + "but found PT0S");
        assertThatThrownBy(() -> jobs(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(1),
                Duration.ofMillis(500))).hasMessage("lrnn.jobs.retry-after: expected at least 1s but found PT0.5S");
    }

    @Test
    void aServerWithAHeartbeatAsLongAsItsLeaseDoesNotStart() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(LrnnServeApplication.class).run("--server.port=0",
                "--spring.main.banner-mode=off", "--lrnn.jobs.lease-duration=10s",
                "--lrnn.jobs.heartbeat-interval=10s").close())
                .rootCause().hasMessage("lrnn.jobs.heartbeat-interval: expected less than half of "
                        + "lrnn.jobs.lease-duration (PT10S) but found PT10S");
    }
}
