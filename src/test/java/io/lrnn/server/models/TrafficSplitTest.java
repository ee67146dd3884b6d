package io.lrnn.server.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The split's buckets: stable across JVMs, fair over many ids, and its validation. */
class TrafficSplitTest {

    static final TrafficSplit NINETY_TEN = TrafficSplit.of(Map.of("stable", 90, "canary", 10));

    @Test
    void bucketsAreTheFirstEightBytesOfTheSha256ModuloAHundred() {
        // From Python: int.from_bytes(hashlib.sha256(s.encode()).digest()[:8], "big") % 100
        assertThat(TrafficSplit.bucket("req-1")).isEqualTo(77);
        assertThat(TrafficSplit.bucket("order-42")).isEqualTo(3);
        assertThat(TrafficSplit.bucket("")).isEqualTo(52);
    }

    @Test
    void theLabelsAreKeptInNameOrderWhateverOrderTheyCameIn() {
        Map<String, Object> written = new LinkedHashMap<>();
        written.put("stable", 90);
        written.put("canary", 10);
        assertThat(TrafficSplit.of(written)).isEqualTo(new TrafficSplit("canary", 10, "stable", 90));
        assertThat(new TrafficSplit("stable", 90, "canary", 10).weights()).containsExactly(
                Map.entry("canary", 10), Map.entry("stable", 90));
        assertThat(NINETY_TEN.pick("order-42")).as("bucket 3 is under canary's 10").isEqualTo("canary");
        assertThat(NINETY_TEN.pick("req-1")).as("bucket 77").isEqualTo("stable");
    }

    @Test
    void twoThousandDistinctIdsLandWithinBinomialToleranceAndOneIdAlwaysOnOneLabel() {
        int canary = 0;
        for (int i = 0; i < 2000; i++) {
            String id = "req-" + i;
            String label = NINETY_TEN.pick(id);
            canary += label.equals("canary") ? 1 : 0;
            for (int again = 0; again < 3; again++) {
                assertThat(NINETY_TEN.pick(id)).as(id).isEqualTo(label);
            }
        }
        // n p = 200, sd = sqrt(n p (1 - p)) = 13.4: within 4.5 sd.
        assertThat(canary).isBetween(140, 260).isEqualTo(198); // 198: counted in Python with the same hash
    }

    @Test
    void withoutAnIdTheSplitIsRandomInProportion() {
        int canary = 0;
        for (int i = 0; i < 10_000; i++) {
            canary += NINETY_TEN.pick(null).equals("canary") ? 1 : 0;
        }
        assertThat(canary).isBetween(1000 - 180, 1000 + 180); // sd 30: 6 sd
    }

    @Test
    void aWeightOfZeroSendsNothingThere() {
        TrafficSplit all = TrafficSplit.of(Map.of("stable", 100, "canary", 0));
        for (int i = 0; i < 500; i++) {
            assertThat(all.pick("id-" + i)).isEqualTo("stable");
            assertThat(all.pick(null)).isEqualTo("stable");
        }
    }

    @Test
    void onlyTwoLabelsWithWholeWeightsAddingUpToAHundredAreASplit() {
        assertInvalid(Map.of("stable", 100), "split: expected two labels with their weights but found 1 [stable]");
        assertInvalid(new LinkedHashMap<>(Map.of("a", 30, "b", 30, "c", 40)),
                "split: expected two labels with their weights but found 3");
        assertInvalid(Map.of("stable", 90, "canary", 9), "split: expected weights adding up to 100 but found 99");
        assertInvalid(Map.of("stable", 110, "canary", -10), "expected a whole number from 0 to 100 but found ");
        assertInvalid(Map.of("stable", 89.5, "canary", 10.5), "expected a whole number from 0 to 100 but found ");
        assertInvalid(Map.of("stable", "90", "canary", 10), "split.stable: expected a whole number from 0 to 100 "
                + "but found \"90\"");
        assertInvalid(Map.of("stable", 90, "-bad", 10), "split: expected 1 to 64 letters");
    }

    private static void assertInvalid(Map<String, ?> weights, String message) {
        assertThatThrownBy(() -> TrafficSplit.of(weights)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(message);
    }
}
