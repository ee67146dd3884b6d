package io.lrnn.server.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The byte budget: charges by declared length (the largest body when chunked), refuses what does not fit, releases once. */
class PredictBudgetTest {

    static final long KIB = 1024;
    static final long MAX_BODY = 8 * KIB * KIB;
    /** More large-body slots than the memory tests use, so only memory limits them. */
    static final int SLOTS = 100;

    @Test
    void bodiesAreAdmittedUntilTheNextDoesNotFitAndThatOneIsABusyProblemWithRetryAfter() {
        PredictBudget budget = new PredictBudget(20 * KIB * KIB, MAX_BODY, SLOTS, 2);
        PredictBudget.Permit first = budget.admit(MAX_BODY);
        PredictBudget.Permit second = budget.admit(-1);
        assertThatThrownBy(() -> budget.admit(MAX_BODY))
                .isInstanceOfSatisfying(PredictBusyException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(503);
                    assertThat(e.type()).isEqualTo("predict-busy");
                    assertThat(e.retryAfterSeconds()).isEqualTo(2);
                    assertThat(e.getMessage()).isEqualTo("predict: expected the memory of requests in flight within "
                            + 20 * KIB * KIB + " bytes (lrnn.predict.memory-share of the heap) but found "
                            + 2 * MAX_BODY + " bytes in flight and " + MAX_BODY + " more asked for; retry after 2 s");
                });
        // What is left (4 MiB) still takes small bodies.
        budget.admit(4 * KIB * KIB - KIB).close();
        first.close();
        budget.admit(MAX_BODY).close();
        second.close();
    }

    @Test
    void aPermitIsReleasedOnceHoweverOftenItIsClosed() {
        PredictBudget budget = new PredictBudget(MAX_BODY, MAX_BODY, SLOTS, 1);
        PredictBudget.Permit permit = budget.admit(MAX_BODY);
        permit.close();
        permit.close();
        PredictBudget.Permit again = budget.admit(MAX_BODY);
        assertThatThrownBy(() -> budget.admit(1)).isInstanceOf(PredictBusyException.class);
        again.close();
    }

    @Test
    void theBudgetIsNeverSmallerThanOneLargestBodyAndASmallBodyCostsAKibibyte() {
        PredictBudget budget = new PredictBudget(KIB, MAX_BODY, SLOTS, 1);
        assertThat(budget.capacityBytes()).isEqualTo(MAX_BODY);
        PredictBudget.Permit large = budget.admit(MAX_BODY - KIB);
        PredictBudget.Permit small = budget.admit(0);
        assertThatThrownBy(() -> budget.admit(1)).isInstanceOf(PredictBusyException.class);
        large.close();
        small.close();
    }

    @Test
    void workingMemoryIsChargedToTheRequestAndReleasedWithItsBody() {
        PredictBudget budget = new PredictBudget(20 * KIB * KIB, MAX_BODY, SLOTS, 1);
        PredictBudget.Permit first = budget.admit(KIB);
        first.extend(12 * KIB * KIB);
        PredictBudget.Permit second = budget.admit(KIB);
        // 13 MiB of 20 held: the second request's 8 MiB of working memory does not fit.
        assertThatThrownBy(() -> second.extend(8 * KIB * KIB)).isInstanceOf(PredictBusyException.class);
        second.extend(6 * KIB * KIB);
        first.close();
        second.close();
        budget.admit(MAX_BODY).extend(12 * KIB * KIB - KIB);
        assertThatThrownBy(() -> budget.admit(2 * KIB)).isInstanceOf(PredictBusyException.class);
    }

    @Test
    void aRequestAloneMayUseTheWholeCapacityButNoMore() {
        PredictBudget budget = new PredictBudget(MAX_BODY, MAX_BODY, SLOTS, 1);
        PredictBudget.Permit alone = budget.admit(KIB);
        alone.extend(100 * MAX_BODY);
        assertThatThrownBy(() -> budget.admit(0)).isInstanceOf(PredictBusyException.class);
        alone.close();
        budget.admit(MAX_BODY).close();
    }

    @Test
    void largeBodiesTakeASlotEachAndSmallOnesNone() {
        PredictBudget budget = new PredictBudget(100 * MAX_BODY, MAX_BODY, 2, 3);
        PredictBudget.Permit first = budget.admit(PredictBudget.LARGE_BODY + 1);
        PredictBudget.Permit chunked = budget.admit(-1);
        assertThatThrownBy(() -> budget.admit(MAX_BODY)).isInstanceOfSatisfying(PredictBusyException.class, e -> {
            assertThat(e.retryAfterSeconds()).isEqualTo(3);
            assertThat(e.getMessage()).isEqualTo("predict: expected at most 2 large bodies (over 1048576 bytes, "
                    + "or chunked) in flight (lrnn.predict.max-large-bodies) but found 2 already and one more of "
                    + MAX_BODY + " bytes; retry after 3 s");
        });
        // A body of exactly the threshold is small: it takes no slot.
        budget.admit(PredictBudget.LARGE_BODY).close();
        first.close();
        budget.admit(MAX_BODY).close();
        chunked.close();
    }

    @Test
    void aLargeBodyRefusedForMemoryGivesItsSlotBack() {
        PredictBudget budget = new PredictBudget(MAX_BODY, MAX_BODY, 1, 1);
        PredictBudget.Permit small = budget.admit(KIB);
        assertThatThrownBy(() -> budget.admit(MAX_BODY)).hasMessageContaining("lrnn.predict.memory-share");
        small.close();
        budget.admit(MAX_BODY).close();
    }
}
