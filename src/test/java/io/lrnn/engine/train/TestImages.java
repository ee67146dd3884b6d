package io.lrnn.engine.train;

import java.util.List;
import org.ejml.data.DMatrixRMaj;

/** Small images for the image-fitting guards, and their PSNR. */
public final class TestImages {

    private TestImages() {
    }

    /**
     * 0.5 + 0.5 cos(12 (x^2 + y^2)) on a size x size grid over [-1, 1]^2, inverted inside the square
     * |x - 0.45| < 0.3, |y + 0.45| < 0.3.
     */
    public static TrainingData zonePlate(int size) {
        DMatrixRMaj x = new DMatrixRMaj(size * size, 2);
        DMatrixRMaj y = new DMatrixRMaj(size * size, 1);
        for (int row = 0; row < size; row++) {
            for (int col = 0; col < size; col++) {
                double u = -1 + 2.0 * col / (size - 1);
                double v = -1 + 2.0 * row / (size - 1);
                double grey = 0.5 + 0.5 * Math.cos(12 * (u * u + v * v));
                if (Math.abs(u - 0.45) < 0.3 && Math.abs(v + 0.45) < 0.3) {
                    grey = 1 - grey;
                }
                int b = row * size + col;
                x.set(b, 0, u);
                x.set(b, 1, v);
                y.set(b, 0, grey);
            }
        }
        return new TrainingData(x, y, List.of("x", "y"), List.of("grey"), null);
    }

    /** PSNR in dB of a trained model over all pixels of {@code image}, predictions clipped to [0, 1]. */
    public static double psnr(TrainingResult result, TrainingData image) {
        DMatrixRMaj predicted = result.model().predict(image.features());
        double sum = 0;
        for (int b = 0; b < image.rows(); b++) {
            double error = Math.min(1, Math.max(0, predicted.get(b, 0))) - image.targets().get(b, 0);
            sum += error * error;
        }
        return 10 * Math.log10(image.rows() / sum);
    }
}
