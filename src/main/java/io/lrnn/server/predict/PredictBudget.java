package io.lrnn.server.predict;

import io.lrnn.server.config.LrnnProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Bounds the predict work in flight by the memory it holds: a request is charged its declared
 * Content-Length (the largest body, {@code lrnn.predict.max-body-size}, when it is sent chunked)
 * before any of its body is read, and, once its rows are read, the working memory the engine
 * needs for them, against a capacity of {@code lrnn.predict.memory-share} of the heap (never
 * less than one largest body). When a charge does not fit, the request is refused at once with
 * 503 and Retry-After rather than queued, so no number of concurrent maximal requests can take
 * more than that share. Permits are counted in KiB.
 *
 * <p>Large bodies (over {@value #LARGE_BODY} bytes, or chunked) also take one of
 * {@code lrnn.predict.max-large-bodies} slots while they are read and run: parsing megabytes of
 * JSON is CPU work, and without the slots a flood of maximal bodies would take every core from
 * the small requests that make up normal traffic.
 */
@Component
public class PredictBudget {

    private static final long UNIT = 1024;
    /** Bodies larger than this take a large-body slot. */
    static final long LARGE_BODY = 1 << 20;

    private final Semaphore permits;
    private final Semaphore largeBodies;
    private final int largeBodySlots;
    private final int capacity;
    private final long maxBody;
    private final long retryAfterSeconds;

    @Autowired
    PredictBudget(LrnnProperties properties, MeterRegistry meters) {
        this((long) (Runtime.getRuntime().maxMemory() * properties.predict().memoryShare()),
                properties.predict().maxBodySize().toBytes(),
                properties.predict().largeBodySlots(), Math.max(1, properties.predict().retryAfter().toSeconds()));
        Gauge.builder("lrnn.predict.budget.capacity", this, b -> b.capacity * (double) UNIT).baseUnit("bytes")
                .description("Bytes of predict bodies that may be in flight").register(meters);
        Gauge.builder("lrnn.predict.budget.used", this, b -> (b.capacity - b.permits.availablePermits()) * (double) UNIT)
                .baseUnit("bytes").description("Bytes of predict bodies in flight").register(meters);
    }

    PredictBudget(long capacityBytes, long maxBodyBytes, int largeBodySlots, long retryAfterSeconds) {
        this.maxBody = maxBodyBytes;
        this.largeBodySlots = largeBodySlots;
        this.largeBodies = new Semaphore(largeBodySlots);
        this.capacity = (int) Math.min(Integer.MAX_VALUE, Math.max(units(maxBodyBytes), capacityBytes / UNIT));
        this.permits = new Semaphore(capacity);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A claim on the budget, released once (by try-with-resources). */
    final class Permit implements AutoCloseable {

        private int units;
        private final boolean large;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(int units, boolean large) {
            this.units = units;
            this.large = large;
        }

        /**
         * Charges {@code bytes} more to this request. A request alone in the budget always gets
         * it (up to the whole capacity), so a version that fits the model limits never waits forever.
         *
         * @throws PredictBusyException when the budget cannot take it now
         */
        void extend(long bytes) {
            int more = Math.min(units(bytes), capacity - units);
            if (more > 0 && !permits.tryAcquire(more)) {
                throw busy(bytes);
            }
            units += Math.max(more, 0);
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                permits.release(units);
                if (large) {
                    largeBodies.release();
                }
            }
        }
    }

    /**
     * Charges a request whose body declares {@code declaredLength} bytes (-1 when chunked).
     *
     * @throws PredictBusyException when the budget cannot take it now
     */
    Permit admit(long declaredLength) {
        long bytes = declaredLength < 0 ? maxBody : Math.min(declaredLength, maxBody);
        boolean large = declaredLength < 0 || declaredLength > LARGE_BODY;
        if (large && !largeBodies.tryAcquire()) {
            throw new PredictBusyException(bytes, largeBodySlots, retryAfterSeconds);
        }
        int units = units(bytes);
        if (!permits.tryAcquire(units)) {
            if (large) {
                largeBodies.release();
            }
            throw busy(bytes);
        }
        return new Permit(units, large);
    }

    private PredictBusyException busy(long bytes) {
        return new PredictBusyException(bytes, (capacity - permits.availablePermits()) * UNIT, capacity * UNIT,
                retryAfterSeconds);
    }

    /** The budget in bytes. */
    long capacityBytes() {
        return capacity * UNIT;
    }

    private static int units(long bytes) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (bytes + UNIT - 1) / UNIT));
    }
}
