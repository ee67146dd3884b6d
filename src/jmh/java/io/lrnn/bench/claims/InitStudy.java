package io.lrnn.bench.claims;

import io.lrnn.engine.DenseActivation;
import io.lrnn.engine.DenseLayerSpec;
import io.lrnn.engine.LayerSpec;
import io.lrnn.engine.LrnnInit;
import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.Network;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Parameters;
import io.lrnn.engine.Task;
import io.lrnn.engine.UnivariateActivation;
import io.lrnn.engine.train.Adam;
import io.lrnn.engine.train.BatchPass;
import io.lrnn.engine.train.LearningRateSchedule;
import io.lrnn.engine.train.Loss;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.function.LongSupplier;
import javax.imageio.ImageIO;
import org.ejml.data.DMatrixRMaj;

/**
 * The initialisation study of issue 11: why the paper's two-layer LRNN image recipe fits far worse
 * in this engine, and which initialisation or parameterisation of the univariate functions fixes it.
 *
 * <p>Each run is one recipe, a line of {@code key=value} words, fitted full batch to one image and
 * printed as one markdown table row (PSNR after a few step counts and the wall time), so every figure
 * of docs/results.md's study section is reproduced by
 * {@code bench/claims.sh init --image cameraman --size 64 --steps 300 --recipe "RECIPE"}. The
 * training loop is the engine's ({@link BatchPass}, MSE, Adam's update, the engine's schedules) with
 * standardised targets like the trainer's; the study drives it itself only so that it can re-draw
 * the initial tensors and give parameter groups their own learning rates.
 *
 * <p>Recipe words (lists are per layer, the last value repeating): {@code model=lrnn|siren|relu};
 * LRNN: {@code r d h L act=sin|spder om=30,1 ln=1,1}, SIREN/ReLU: {@code width depth om};
 * initialisation: {@code init=uniform|unit-variance} (the engine's {@link LrnnInit}, for every LRNN
 * layer), then per LRNN layer an optional study re-draw: {@code w} (the
 * Glorot bound times this; {@code engine} in a list keeps a layer's engine initialisation), {@code a} (a ~ U(-a, a), or {@code a=const:X}: every a = X), {@code c} (c ~ U(-c, c), or {@code c=phase}:
 * U(-pi/omega, pi/omega)), {@code v=engine|unit|const:X} ({@code unit}: v's bound set so that Var[g] equals
 * {@code vt}, measured by Monte Carlo over the initial a, c and z), {@code vt=1}; training:
 * {@code lr=1e-3 sched=step:100:0.8|cosine|const}, per-group rate multipliers {@code lrw} (W, b),
 * {@code lra}, {@code lrc}, {@code lrv} (v, e), {@code lrn} (LayerNorm), {@code lrh} (head);
 * {@code in=std|unit} (standardised coordinates, as the trainer does, or raw [-1, 1]);
 * {@code ff=M:SIGMA}: M random Fourier features of the raw coordinates as the inputs (then
 * standardised like any input unless {@code in=unit}).
 *
 * <p>Arguments: {@code --image zone|astronaut|cameraman} (repeatable via commas), {@code --size N}
 * (a divisor of 512 for the photographs), {@code --steps N}, {@code --report 50,100,...}
 * (step counts for the PSNR columns), {@code --recipe "..."} (repeatable), {@code --seed S},
 * {@code --recipes FILE} (one recipe a line, # comments), {@code --data DIR}, {@code --threads N}
 * (default 1; more splits each step's rows over a pool), {@code --curve} (print
 * {@code curve STEP WALL_SECONDS PSNR CPU_SECONDS} at every report step, for plots: the thread's CPU
 * time measures a run's cost on a shared machine where wall time measures its load; with --threads
 * it is the process's).
 */
public final class InitStudy {

    private InitStudy() {
    }

    public static void main(String[] args) throws IOException {
        List<String> images = List.of("zone");
        List<String> recipes = new ArrayList<>();
        int size = 64;
        long steps = 300;
        long seed = 42;
        List<Long> report = null;
        Path data = Path.of("bench/claims/data");
        boolean curve = false;
        int threads = 1;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--curve")) {
                curve = true;
                continue;
            }
            if (arg.equals("--results") || arg.isBlank()) { // bench/claims.sh passes --results; unused here
                i += arg.isBlank() ? 0 : 1;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + ": expected a value but found none");
            }
            String value = args[++i];
            switch (arg) {
                case "--image" -> images = List.of(value.split(","));
                case "--size" -> size = Integer.parseInt(value);
                case "--steps" -> steps = Long.parseLong(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--report" -> report = List.of(value.split(",")).stream().map(Long::parseLong).toList();
                case "--recipe" -> recipes.add(value);
                case "--recipes" -> Files.readAllLines(Path.of(value)).stream().map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(recipes::add);
                case "--data" -> data = Path.of(value);
                case "--threads" -> threads = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("expected --image, --size, --steps, --seed, "
                        + "--report, --recipe, --data, --threads or --curve but found " + arg);
            }
        }
        if (report == null) {
            report = java.util.stream.Stream.of(steps / 10, steps / 3, steps).filter(s -> s > 0).distinct().toList();
        }
        System.out.printf(Locale.ROOT, "| image | recipe | params |%s time |%n",
                String.join("", report.stream().map(s -> " PSNR @" + s + " |").toList()));
        ForkJoinPool pool = threads > 1 ? new ForkJoinPool(threads) : null;
        for (String name : images) {
            ImageFit.ImageTarget image = image(name, size, data);
            for (String recipe : recipes) {
                Result result = run(Recipe.parse(recipe), image, steps, seed, report, curve, pool);
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s %d | `%s` | %,d |",
                        name, image.size(), recipe, result.params()));
                for (double psnr : result.psnr()) {
                    row.append(String.format(Locale.ROOT, " %.2f |", psnr));
                }
                row.append(String.format(Locale.ROOT, " %.1f s |", result.seconds()));
                System.out.println(row);
                System.out.flush();
            }
        }
    }

    /** One fitted recipe: parameters, PSNR (dB, clipped predictions) at each report step, seconds. */
    record Result(long params, double[] psnr, double seconds) {
    }

    /** Fits {@code recipe} to {@code image} for {@code steps} full-batch steps. */
    static Result run(Recipe recipe, ImageFit.ImageTarget image, long steps, long seed, List<Long> report,
                      boolean curve, ForkJoinPool pool) {
        DMatrixRMaj x = recipe.features(image.data().features(), seed);
        NetworkSpec spec = recipe.spec(x.numCols);
        Network network = Network.initialize(spec, seed,
                recipe.text("init", "uniform").equals("unit-variance") ? LrnnInit.UNIT_VARIANCE : LrnnInit.UNIFORM);
        if (recipe.text("in", "std").equals("std")) {
            standardise(x);
        }
        recipe.reinitialise(network, x, seed);
        DMatrixRMaj y = image.data().targets().copy();
        double mean = 0;
        for (double g : y.data) {
            mean += g;
        }
        mean /= y.data.length;
        double var = 0;
        for (double g : y.data) {
            var += (g - mean) * (g - mean);
        }
        double std = Math.sqrt(var / y.data.length);
        for (int i = 0; i < y.data.length; i++) {
            y.data[i] = (y.data[i] - mean) / std;
        }
        Parameters params = network.parameters();
        Parameters grads = Parameters.zeros(params.tensors());
        Adam adam = new Adam(params, 0);
        double[] rateScale = new double[params.size()];
        for (int t = 0; t < params.size(); t++) {
            rateScale[t] = recipe.rateOf(params.get(t).name());
        }
        BatchPass pass = new BatchPass(network, Loss.MSE, pool);
        int[] rows = new int[x.numRows];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        LearningRateSchedule schedule = recipe.schedule();
        double lr = recipe.number("lr", 1e-3);
        double[] psnr = new double[report.size()];
        long start = System.nanoTime();
        LongSupplier cpu = cpuClock(pool);
        long cpuStart = cpu.getAsLong();
        for (long step = 0; step < steps; step++) {
            double loss = pass.lossAndGradient(x, y, rows, rows.length, grads);
            if (!Double.isFinite(loss)) {
                break;
            }
            adam.step(grads, schedule.rate(lr, step, steps), rateScale);
            int at = report.indexOf(step + 1);
            if (at >= 0) {
                psnr[at] = psnr(network, x, image, mean, std, pool);
                if (curve) {
                    System.out.printf(Locale.ROOT, "curve %d %.3f %.2f %.3f%n", step + 1,
                            (System.nanoTime() - start) / 1e9, psnr[at],
                            (cpu.getAsLong() - cpuStart) / 1e9);
                }
            }
        }
        return new Result(params.count(), psnr, (System.nanoTime() - start) / 1e9);
    }

    /** CPU nanoseconds: the thread's when single-threaded, else the whole process's (its GC and JIT too). */
    private static LongSupplier cpuClock(ForkJoinPool pool) {
        if (pool == null) {
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            return threads::getCurrentThreadCpuTime;
        }
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        return os::getProcessCpuTime;
    }

    /** PSNR in dB of the network's output in grey units, clipped to [0, 1]. */
    private static double psnr(Network network, DMatrixRMaj x, ImageFit.ImageTarget image, double mean, double std,
                               ForkJoinPool pool) {
        DMatrixRMaj out = network.predict(x, pool); // null: in this thread
        double sum = 0;
        for (int b = 0; b < image.grey().length; b++) {
            double g = out.get(b, 0) * std + mean;
            double error = Math.min(1, Math.max(0, g)) - image.grey()[b];
            sum += error * error;
        }
        return sum == 0 ? 300 : 10 * Math.log10(image.grey().length / sum);
    }

    /** Columns to mean 0, population std 1, as the trainer's standardisation does. */
    private static void standardise(DMatrixRMaj x) {
        for (int col = 0; col < x.numCols; col++) {
            double mean = 0;
            for (int b = 0; b < x.numRows; b++) {
                mean += x.get(b, col);
            }
            mean /= x.numRows;
            double var = 0;
            for (int b = 0; b < x.numRows; b++) {
                var += Math.pow(x.get(b, col) - mean, 2);
            }
            double std = Math.sqrt(var / x.numRows);
            for (int b = 0; b < x.numRows; b++) {
                x.set(b, col, (x.get(b, col) - mean) / std);
            }
        }
    }

    /**
     * The study's images: the zone plate (any size), the astronaut (its Lanczos 64 x 64 file at 64, the grey
     * 512 x 512 box-averaged at other sizes) or Cameraman (box-averaged).
     */
    static ImageFit.ImageTarget image(String name, int size, Path data) throws IOException {
        return switch (name) {
            case "zone" -> ImageFit.ImageTarget.synthetic(size);
            case "astronaut" -> size == 64
                    ? ImageFit.ImageTarget.of("astronaut", "astronaut", "astronaut-64.png", 64,
                            grey(data.resolve("astronaut-64.png"), 64))
                    : ImageFit.ImageTarget.of("astronaut", "astronaut", "astronaut-512.png box-averaged", size,
                            grey(data.resolve("astronaut-512.png"), size));
            case "cameraman" -> {
                double[] grey = grey(data.resolve("camera-512.png"), size);
                yield ImageFit.ImageTarget.of("cameraman", "Cameraman", "camera-512.png box-averaged", size, grey);
            }
            default -> throw new IllegalArgumentException("--image: expected zone, astronaut or cameraman but "
                    + "found " + name);
        };
    }

    /** An 8-bit grey PNG, box-averaged down to {@code size} x {@code size} (its side a multiple of size). */
    static double[] grey(Path file, int size) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null || image.getRaster().getNumBands() != 1 || image.getWidth() != image.getHeight()
                || image.getWidth() % size != 0) {
            throw new IOException(file + ": expected a square grey PNG whose side is a multiple of " + size);
        }
        Raster raster = image.getRaster();
        int k = image.getWidth() / size;
        double[] grey = new double[size * size];
        for (int row = 0; row < size; row++) {
            for (int col = 0; col < size; col++) {
                double sum = 0;
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        sum += raster.getSample(col * k + j, row * k + i, 0);
                    }
                }
                grey[row * size + col] = sum / (k * k * 255.0);
            }
        }
        return grey;
    }

    /** A recipe: its words as a map, and what they mean. */
    record Recipe(Map<String, String> words) {

        static Recipe parse(String text) {
            Map<String, String> words = new LinkedHashMap<>();
            for (String word : text.trim().split("\\s+")) {
                int eq = word.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("recipe word " + word + ": expected key=value");
                }
                words.put(word.substring(0, eq), word.substring(eq + 1));
            }
            return new Recipe(words);
        }

        String text(String key, String fallback) {
            return words.getOrDefault(key, fallback);
        }

        double number(String key, double fallback) {
            return words.containsKey(key) ? Double.parseDouble(words.get(key)) : fallback;
        }

        /** The value of list {@code key} for layer {@code k} (the last value repeats). */
        String at(String key, int k, String fallback) {
            if (!words.containsKey(key)) {
                return fallback;
            }
            String[] values = words.get(key).split(",");
            return values[Math.min(k, values.length - 1)];
        }

        double numberAt(String key, int k, double fallback) {
            return Double.parseDouble(at(key, k, Double.toString(fallback)));
        }

        /**
         * The network's inputs: the pixel coordinates in [-1, 1]^2, or with {@code ff=M:SIGMA} their
         * Fourier features [cos(2 pi B x), sin(2 pi B x)] (Tancik et al. 2020), B an M x 2 matrix of
         * N(0, SIGMA^2) draws from the seed.
         */
        DMatrixRMaj features(DMatrixRMaj coordinates, long seed) {
            if (!words.containsKey("ff")) {
                return coordinates.copy();
            }
            String[] ff = text("ff", "").split(":");
            int m = Integer.parseInt(ff[0]);
            double sigma = Double.parseDouble(ff[1]);
            SplittableRandom random = new SplittableRandom(seed ^ 0xFF);
            double[] b = new double[m * coordinates.numCols];
            for (int i = 0; i < b.length; i++) {
                b[i] = sigma * gaussian(random);
            }
            DMatrixRMaj out = new DMatrixRMaj(coordinates.numRows, 2 * m);
            for (int row = 0; row < coordinates.numRows; row++) {
                for (int f = 0; f < m; f++) {
                    double t = 0;
                    for (int col = 0; col < coordinates.numCols; col++) {
                        t += b[f * coordinates.numCols + col] * coordinates.get(row, col);
                    }
                    out.set(row, f, Math.cos(2 * Math.PI * t));
                    out.set(row, m + f, Math.sin(2 * Math.PI * t));
                }
            }
            return out;
        }

        NetworkSpec spec(int inputs) {
            String model = text("model", "lrnn");
            List<LayerSpec> layers = new ArrayList<>();
            if (model.equals("lrnn")) {
                int count = (int) number("L", 2);
                for (int k = 0; k < count; k++) {
                    UnivariateActivation act = at("act", k, "sin").equals("spder") ? UnivariateActivation.SPDER
                            : UnivariateActivation.SIN;
                    layers.add(new LrnnLayerSpec((int) numberAt("r", k, 24), (int) numberAt("d", k, 16),
                            (int) numberAt("h", k, 1), act, numberAt("om", k, k == 0 ? 30 : 1), false,
                            at("ln", k, "1").equals("1")));
                }
            } else {
                DenseActivation act = model.equals("siren") ? DenseActivation.SINE : DenseActivation.RELU;
                for (int k = 0; k < (int) number("depth", 3); k++) {
                    layers.add(new DenseLayerSpec((int) number("width", 72), act, number("om", 30)));
                }
            }
            return new NetworkSpec(inputs, layers, 1, Task.REGRESSION);
        }

        LearningRateSchedule schedule() {
            String[] s = text("sched", "step:100:0.8").split(":");
            return switch (s[0]) {
                case "step" -> new LearningRateSchedule.Step(Long.parseLong(s[1]), Double.parseDouble(s[2]));
                case "cosine" -> new LearningRateSchedule.Cosine();
                case "const" -> new LearningRateSchedule.Constant();
                default -> throw new IllegalArgumentException("sched: expected step:N:F, cosine or const");
            };
        }

        /** Learning-rate multiplier of the tensor called {@code name}. */
        double rateOf(String name) {
            String key;
            if (name.startsWith("head.")) {
                key = "lrh";
            } else if (name.contains(".norm.")) {
                key = "lrn";
            } else if (name.endsWith(".g.a")) {
                key = "lra";
            } else if (name.endsWith(".g.c")) {
                key = "lrc";
            } else if (name.endsWith(".g.v") || name.endsWith(".g.e")) {
                key = "lrv";
            } else {
                key = "lrw";
            }
            return number(key, 1);
        }

        /**
         * Re-draws the LRNN layers' tensors where the recipe names a study initialisation (w, a, c or
         * v); layers without those words keep the engine's. z's spread is taken from the layer's input
         * (the data for layer 0, LayerNorm's unit rows or 1 after).
         */
        void reinitialise(Network network, DMatrixRMaj x, long seed) {
            if (!text("model", "lrnn").equals("lrnn")) {
                return;
            }
            Parameters p = network.parameters();
            SplittableRandom random = new SplittableRandom(seed ^ 0x5EED);
            List<LayerSpec> layers = network.spec().layers();
            for (int k = 0; k < layers.size(); k++) {
                LrnnLayerSpec layer = (LrnnLayerSpec) layers.get(k);
                String prefix = "layers." + k + ".";
                double[] w = p.get(prefix + "proj.weight").data();
                int n = network.spec().inputSizeOf(k);
                if (!at("w", k, "engine").equals("engine")) {
                    double bound = numberAt("w", k, 1) * Math.sqrt(6.0 / (n + layer.projection()));
                    uniform(w, bound, random);
                }
                String a = at("a", k, "engine");
                if (a.startsWith("const:")) {
                    java.util.Arrays.fill(p.get(prefix + "g.a").data(), Double.parseDouble(a.substring(6)));
                } else if (!a.equals("engine")) {
                    uniform(p.get(prefix + "g.a").data(), Double.parseDouble(a), random);
                }
                String c = at("c", k, "engine");
                if (!c.equals("engine")) {
                    double bound = c.equals("phase") ? Math.PI / layer.omega() : Double.parseDouble(c);
                    uniform(p.get(prefix + "g.c").data(), bound, random);
                }
                String v = at("v", k, "engine");
                if (v.startsWith("const:")) {
                    java.util.Arrays.fill(p.get(prefix + "g.v").data(), Double.parseDouble(v.substring(6)));
                }
                if (v.equals("unit")) {
                    double inVar = k == 0 ? columnVariance(x) : 1;
                    double zVar = n * meanSquare(w) * inVar;
                    double es2 = meanSigmaSquare(layer, p.get(prefix + "g.a").data(), p.get(prefix + "g.c").data(),
                            Math.sqrt(zVar), random);
                    double target = numberAt("vt", k, 1);
                    // Var[g] = h Var[v] E[sigma^2] with Var[v] = bound^2 / 3.
                    uniform(p.get(prefix + "g.v").data(), Math.sqrt(3 * target / (layer.hidden() * es2)), random);
                }
            }
        }
    }

    private static double columnVariance(DMatrixRMaj x) {
        double sum = 0;
        for (double value : x.data) {
            sum += value * value;
        }
        return sum / x.data.length;
    }

    private static double meanSquare(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value * value;
        }
        return sum / values.length;
    }

    /** E[sigma(omega (a z + c))^2] over the layer's initial a, c and z ~ N(0, zStd^2), by sampling. */
    private static double meanSigmaSquare(LrnnLayerSpec layer, double[] a, double[] c, double zStd,
                                          SplittableRandom random) {
        double sum = 0;
        int samples = 20_000;
        for (int s = 0; s < samples; s++) {
            int k = random.nextInt(a.length);
            double z = zStd * gaussian(random);
            double t = layer.omega() * (a[k] * z + c[k]);
            double sigma = Math.sin(t) * (layer.activation() == UnivariateActivation.SPDER ? Math.sqrt(Math.abs(t)) : 1);
            sum += sigma * sigma;
        }
        return sum / samples;
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static void uniform(double[] values, double bound, SplittableRandom random) {
        for (int i = 0; i < values.length; i++) {
            values[i] = bound * (2 * random.nextDouble() - 1);
        }
    }
}
