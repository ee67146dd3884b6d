package io.lrnn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.RandomMatrices_DDRM;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The engine's matrix product against EJML's, on shapes that exercise every remainder of its blocking. */
class AffineTest {

    @ParameterizedTest(name = "{0} x {2} times {2} x {1}")
    @CsvSource({"1, 1, 1", "7, 1, 9", "8, 1, 6", "2, 3, 4", "3, 5, 2", "5, 7, 9", "64, 256, 2", "255, 64, 257", "256, 256, 64"})
    void multiplyAgreesWithEjml(int m, int n, int k) {
        Random random = new Random(m * 1000L + n * 10L + k);
        DMatrixRMaj a = RandomMatrices_DDRM.rectangle(m, k, -1, 1, random);
        DMatrixRMaj b = RandomMatrices_DDRM.rectangle(k, n, -1, 1, random);
        DMatrixRMaj start = RandomMatrices_DDRM.rectangle(m, n, -1, 1, random);

        DMatrixRMaj expected = new DMatrixRMaj(m, n);
        CommonOps_DDRM.mult(a, b, expected);
        DMatrixRMaj product = start.copy();
        Affine.multiply(a.data, k, 1, b.data, product.data, m, n, k, false);
        assertClose(product, expected, k);

        // A given transposed (k x m, read with swapped strides), accumulating onto start.
        DMatrixRMaj aT = CommonOps_DDRM.transpose(a, null);
        DMatrixRMaj expectedSum = start.copy();
        CommonOps_DDRM.multAdd(a, b, expectedSum);
        DMatrixRMaj sum = start.copy();
        Affine.multiply(aT.data, 1, m, b.data, sum.data, m, n, k, true);
        assertClose(sum, expectedSum, k);
    }

    private static void assertClose(DMatrixRMaj actual, DMatrixRMaj expected, int k) {
        // Each entry sums k products of values in [-1, 1], in another order than EJML's.
        double tolerance = 4 * k * Math.ulp(1.0);
        for (int i = 0; i < expected.data.length; i++) {
            assertThat(actual.data[i]).as("entry %d", i).isCloseTo(expected.data[i],
                    Offset.offset(tolerance));
        }
    }
}
