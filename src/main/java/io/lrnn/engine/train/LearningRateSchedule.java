package io.lrnn.engine.train;

import static io.lrnn.engine.SpecException.require;

/** How the learning rate changes over the steps of a training run. */
public sealed interface LearningRateSchedule {

    /** The rate at {@code step} (0-based) of {@code totalSteps}, for base rate {@code base}. */
    double rate(double base, long step, long totalSteps);

    /** The base rate throughout. */
    record Constant() implements LearningRateSchedule {
        @Override
        public double rate(double base, long step, long totalSteps) {
            return base;
        }
    }

    /** Half a cosine from the base rate down to zero at the last step. */
    record Cosine() implements LearningRateSchedule {
        @Override
        public double rate(double base, long step, long totalSteps) {
            return 0.5 * base * (1 + Math.cos(Math.PI * Math.min(step, totalSteps) / Math.max(1, totalSteps)));
        }
    }

    /** The base rate times {@code factor} for every {@code every} steps taken. */
    record Step(long every, double factor) implements LearningRateSchedule {
        public Step {
            require(every > 0, "schedule.every", "a positive number of steps", every);
            require(factor > 0 && factor <= 1, "schedule.factor", "a number in (0, 1]", factor);
        }

        @Override
        public double rate(double base, long step, long totalSteps) {
            return base * Math.pow(factor, step / every);
        }
    }
}
