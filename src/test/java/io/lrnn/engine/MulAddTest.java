package io.lrnn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link MulAdd} rounds once where it fuses and twice where it does not. */
class MulAddTest {

    @Test
    void fusesExactlyWhenItSaysSo() {
        // (1 + 2^-30)^2 - 1 = 2^-29 + 2^-60: the product rounded to a double loses the 2^-60.
        double a = 1 + 0x1p-30;
        double exact = 0x1p-29 + 0x1p-60;
        double separate = 0x1p-29;
        assertThat(a * a - 1).isEqualTo(separate);
        assertThat(MulAdd.of(a, a, -1)).isEqualTo(MulAdd.FUSED ? exact : separate);
    }
}
