package io.lrnn.server.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lrnn.engine.DenseActivation;
import io.lrnn.engine.DenseLayerSpec;
import io.lrnn.engine.LayerSpec;
import io.lrnn.engine.LrnnInit;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Task;
import io.lrnn.server.config.LrnnProperties;
import io.lrnn.server.datasets.Dataset;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The limits a plan is checked against at submit: steps, duration, and the memory it will hold. */
class TrainingPlanTest {

    static final LrnnProperties.Jobs JOBS = new LrnnProperties.Jobs(1, 2, 100, 3, Duration.ofSeconds(30),
            Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(30), 1_000_000);

    static Dataset dataset(int rows, Integer classes) {
        return new Dataset("ds-1", "t", rows, List.of(new Dataset.Column("x", true, null, rows),
                new Dataset.Column("c", false, "row 2: 'a'", classes)), "sha256:0", Instant.EPOCH);
    }

    static TrainingRequest request(String task, String target, TrainingRequest.Hyperparameters training) {
        return new TrainingRequest("m", "ds-1", null, List.of("x"), List.of(target), task, null, null, training);
    }

    static TrainingRequest.Hyperparameters training(int epochs, int batchSize, long maxSteps, String maxDuration) {
        return new TrainingRequest.Hyperparameters(epochs, maxSteps, batchSize, null, null, null, 0.0, null, null,
                maxDuration);
    }

    @Test
    void theTotalStepsAreCappedAtSubmit() {
        Dataset data = new Dataset("ds-1", "t", 20, List.of(new Dataset.Column("x", true, null, 20),
                new Dataset.Column("y", true, null, 20)), "sha256:0", Instant.EPOCH);
        assertThatThrownBy(() -> TrainingPlan.resolve(request("regression", "y", training(100_000, 1, 0, null)), data,
                JOBS)).isInstanceOf(InvalidRequestException.class).hasMessage("training.epochs: expected at most 1000000 "
                + "optimiser steps in all (lrnn.jobs.max-steps) but found 2000000 (100000 epochs of 20 batches of at "
                + "most 1 rows); use fewer epochs, a larger batchSize or training.maxSteps");
        assertThat(TrainingPlan.resolve(request("regression", "y", training(100_000, 1, 1_000_000, null)), data, JOBS)
                .config().maxSteps()).as("training.maxSteps within the cap").isEqualTo(1_000_000);
        assertThat(TrainingPlan.resolve(request("regression", "y", training(50_000, 1, 0, null)), data, JOBS))
                .as("exactly at the cap").isNotNull();
    }

    @Test
    void initIsAnOptionCheckedAtSubmitAndKeptWithTheJob() {
        TrainingRequest.Hyperparameters unit = new TrainingRequest.Hyperparameters(1, 0L, 1, null, null, null, 0.0,
                null, null, null, "unit-variance");
        TrainingPlan plan = TrainingPlan.resolve(new TrainingRequest("m", "ds-1", null, List.of("x"), List.of("x2"),
                "regression", "signal", null, unit), dataset2(), JOBS);
        assertThat(plan.config().init()).isEqualTo(LrnnInit.UNIT_VARIANCE);
        assertThat(plan.resolved().training().init()).isEqualTo("unit-variance");
        assertThat(TrainingPlan.of(plan.resolved(), dataset2(), JOBS).config().init()).isEqualTo(LrnnInit.UNIT_VARIANCE);
        assertThat(TrainingPlan.resolve(new TrainingRequest("m", "ds-1", null, List.of("x"), List.of("x2"),
                "regression", null, null, null), dataset2(), JOBS).config().init()).as("absent")
                .isEqualTo(LrnnInit.UNIFORM);
        TrainingRequest.Hyperparameters bad = new TrainingRequest.Hyperparameters(1, 0L, 1, null, null, null, 0.0,
                null, null, null, "xavier");
        assertThatThrownBy(() -> TrainingPlan.resolve(new TrainingRequest("m", "ds-1", null, List.of("x"),
                List.of("x2"), "regression", null, null, bad), dataset2(), JOBS))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("training.init: expected uniform or unit-variance but found xavier");
    }

    @Test
    void maxDurationIsParsedAndCappedByTheServer() {
        Duration cap = Duration.ofMinutes(30);
        assertThat(TrainingPlan.maxDuration(null, cap)).isEqualTo(cap);
        assertThat(TrainingPlan.maxDuration("PT10M", cap)).isEqualTo(Duration.ofMinutes(10));
        assertThat(TrainingPlan.maxDuration("90s", cap)).isEqualTo(Duration.ofSeconds(90));
        assertThat(TrainingPlan.maxDuration("5m", cap)).isEqualTo(Duration.ofMinutes(5));
        assertThat(TrainingPlan.maxDuration(" 600 ", cap)).isEqualTo(Duration.ofSeconds(600));
        assertThat(TrainingPlan.maxDuration("PT30M", cap)).isEqualTo(cap);
        assertThatThrownBy(() -> TrainingPlan.maxDuration("1h", cap)).hasMessage(
                "training.maxDuration: expected a duration above 0 and at most PT30M (lrnn.jobs.max-duration) but found PT1H");
        assertThatThrownBy(() -> TrainingPlan.maxDuration("0", cap)).hasMessageEndingWith("but found PT0S");
        assertThatThrownBy(() -> TrainingPlan.maxDuration("-PT1S", cap)).hasMessageEndingWith("but found PT-1S");
        for (String bad : new String[] {"soon", "", "1 hour", "99999999999999999999"}) {
            assertThatThrownBy(() -> TrainingPlan.maxDuration(bad, cap)).as(bad).isInstanceOf(InvalidRequestException.class)
                    .hasMessage("training.maxDuration: expected a duration such as \"PT10M\", \"90s\" or a number of "
                            + "seconds but found '" + bad + "'");
        }
        TrainingPlan plan = TrainingPlan.resolve(new TrainingRequest("m", "ds-1", null, List.of("x"), List.of("x2"),
                "regression", null, null, null), dataset2(), JOBS);
        assertThat(plan.maxDuration()).isEqualTo(cap);
        assertThat(plan.resolved().training().maxDuration()).as("absent: the cap of the replica that runs it").isNull();
        TrainingPlan given = TrainingPlan.resolve(new TrainingRequest("m", "ds-1", null, List.of("x"), List.of("x2"),
                "regression", null, null, training(1, 1, 0, "90")), dataset2(), JOBS);
        assertThat(given.resolved().training().maxDuration()).isEqualTo("PT1M30S");
        assertThat(TrainingPlan.of(given.resolved(), dataset2(), new LrnnProperties.Jobs(1, 2, 100, 3,
                Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofMinutes(2), 1_000_000)).maxDuration()).isEqualTo(Duration.ofSeconds(90));
    }

    static Dataset dataset2() {
        return new Dataset("ds-1", "t", 10, List.of(new Dataset.Column("x", true, null, 10),
                new Dataset.Column("x2", true, null, 10)), "sha256:0", Instant.EPOCH);
    }

    @Test
    void classificationIsBudgetedForItsClassesAndRefusedWithOne() {
        TrainingRequest classify = request("classification", "c", training(1, 128, 0, null));
        assertThat(TrainingPlan.resolve(classify, dataset(1000, 700), JOBS).memory(dataset(1000, 700)).network().outputSize())
                .isEqualTo(700);
        assertThat(TrainingPlan.resolve(classify, dataset(1000, 5), JOBS).memory(dataset(1000, null)).network().outputSize())
                .as("uncounted (over the cap, or stored before counting): the most there may be")
                .isEqualTo(Dataset.MAX_DISTINCT);
        assertThatThrownBy(() -> TrainingPlan.resolve(classify, dataset(1000, 1), JOBS))
                .hasMessage("targets: expected at least 2 classes in column 'c' but found 1");
    }

    @Test
    void memoryGrowsWithClassesRowsAndValidation() {
        List<LayerSpec> layers = List.of(new DenseLayerSpec(4096, DenseActivation.TANH, 1.0));
        MemoryBudget.Shape one = new MemoryBudget.Shape(new NetworkSpec(10, layers, 1, Task.REGRESSION), 1, 128, 1000, 0);
        MemoryBudget.Shape many = new MemoryBudget.Shape(new NetworkSpec(10, layers, 1000, Task.REGRESSION), 1, 128, 1000, 0);
        // 999 more outputs: their weights and biases in 6 copies (1 chunk), 3 cells each per block row
        assertThat(MemoryBudget.bytes(many) - MemoryBudget.bytes(one))
                .isEqualTo(8L * (999L * 4097 * 6 + 128L * 3 * 999));
        MemoryBudget.Shape rows = new MemoryBudget.Shape(new NetworkSpec(10, layers, 1, Task.REGRESSION), 1, 128, 1_001_000, 0);
        assertThat(MemoryBudget.bytes(rows) - MemoryBudget.bytes(one)).as("a million more rows of 11 columns")
                .isEqualTo(1_000_000L * (3 * 8 * 11 + 3 * 4));
        MemoryBudget.Shape validated = new MemoryBudget.Shape(new NetworkSpec(10, layers, 1, Task.REGRESSION), 1, 128, 1000, 200_000);
        assertThat(MemoryBudget.bytes(validated)).as("a validation pass uses up to 8 chunks' workspaces")
                .isGreaterThan(MemoryBudget.bytes(one) + 7L * 8 * 4097 * 11);
        long budget = MemoryBudget.bytes(many);
        MemoryBudget.check(many, budget);
        assertThatThrownBy(() -> MemoryBudget.check(many, budget - 1)).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("architecture: expected a network and training.batchSize that fit in the "
                        + "memory of one job");
    }
}
