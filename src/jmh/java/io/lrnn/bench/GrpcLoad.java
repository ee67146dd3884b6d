package io.lrnn.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.lrnn.server.grpc.v2.GRPCInferenceServiceGrpc;
import io.lrnn.server.grpc.v2.InferTensorContents;
import io.lrnn.server.grpc.v2.ModelInferRequest;
import io.lrnn.server.grpc.v2.ModelInferResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Load of the Open Inference Protocol's infer over gRPC and over REST (V2 JSON) against one
 * running server, with the same closed-loop client for both: {@code --concurrency} requests always
 * in flight (asynchronous grpc-java stubs on one channel; the JDK's HTTP/1.1 client), for
 * {@code --seconds} per case and round after {@code --warmup} seconds of each, for 1-row and
 * 64-row requests, in two rounds (the second in reverse order). Prints requests/s and p50/p99
 * latency of each case (the rounds' mean) and the gRPC/REST ratios. bench/grpc-load.sh runs it.
 *
 * <p>Options: --grpc-port 18091 --http-port 18090 --model demo --inputs 2 --seconds 15 --warmup 5
 * --concurrency (cores); {@code --write-frames DIR} only writes the two gRPC requests as wire
 * messages for h2load ({@link #writeFrames}).
 */
public final class GrpcLoad {

    private GrpcLoad() {
    }

    /** One case's figures. */
    record Result(String name, double rps, double p50Millis, double p99Millis, long errors) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-14s %10.0f req/s   p50 %6.2f ms   p99 %6.2f ms   errors %d", name, rps,
                    p50Millis, p99Millis, errors);
        }
    }

    /** Sends one request and calls back with whether it succeeded. */
    interface Sender {
        void send(Consumer<Boolean> done);
    }

    public static void main(String[] args) throws Exception {
        int grpcPort = Integer.parseInt(option(args, "--grpc-port", "18091"));
        int httpPort = Integer.parseInt(option(args, "--http-port", "18090"));
        String model = option(args, "--model", "demo");
        int inputs = Integer.parseInt(option(args, "--inputs", "2"));
        int seconds = Integer.parseInt(option(args, "--seconds", "15"));
        int warmup = Integer.parseInt(option(args, "--warmup", "5"));
        int concurrency = Integer.parseInt(option(args, "--concurrency",
                Integer.toString(Runtime.getRuntime().availableProcessors())));
        String frames = option(args, "--write-frames", null);
        if (frames != null) {
            writeFrames(Path.of(frames), model, inputs);
            return;
        }

        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub stub = GRPCInferenceServiceGrpc.newFutureStub(channel);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI infer = URI.create("http://127.0.0.1:" + httpPort + "/v2/models/" + model + "/infer");

        System.out.printf(Locale.ROOT, "closed loop, %d in flight, %ds per case after %ds of warm-up, %d cores%n",
                concurrency, seconds, warmup, Runtime.getRuntime().availableProcessors());
        List<String> names = new ArrayList<>();
        List<Sender> senders = new ArrayList<>();
        for (int rows : new int[] {1, 64}) {
            double[][] data = rows(rows, inputs);
            ModelInferRequest request = grpcRequest(model, data);
            HttpRequest restRequest = HttpRequest.newBuilder(infer).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(restBody(data))).build();
            String suffix = "-" + rows + "-row" + (rows > 1 ? "s" : "");
            names.add("rest" + suffix);
            senders.add(done -> http.sendAsync(restRequest, HttpResponse.BodyHandlers.ofByteArray())
                    .whenComplete((response, error) -> done.accept(error == null && response.statusCode() == 200)));
            names.add("grpc" + suffix);
            senders.add(done -> Futures.addCallback(stub.modelInfer(request), new FutureCallback<>() {
                @Override
                public void onSuccess(ModelInferResponse response) {
                    done.accept(response.getOutputsCount() == 1);
                }

                @Override
                public void onFailure(Throwable t) {
                    done.accept(false);
                }
            }, MoreExecutors.directExecutor()));
        }
        // Every case warms both JITs first; then two rounds, the second in reverse order, averaged,
        // so that neither API gains from running later (more JIT, less load) than the other.
        for (Sender sender : senders) {
            run(sender, concurrency, warmup);
        }
        Result[][] rounds = new Result[2][senders.size()];
        for (int round = 0; round < 2; round++) {
            for (int c = 0; c < senders.size(); c++) {
                int i = round == 0 ? c : senders.size() - 1 - c;
                rounds[round][i] = run(senders.get(i), concurrency, seconds);
            }
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < senders.size(); i++) {
            Result a = rounds[0][i];
            Result b = rounds[1][i];
            results.add(new Result(names.get(i), (a.rps() + b.rps()) / 2, (a.p50Millis() + b.p50Millis()) / 2,
                    (a.p99Millis() + b.p99Millis()) / 2, a.errors() + b.errors()));
            System.out.printf(Locale.ROOT, "%s   (rounds: %.0f and %.0f req/s)%n", results.get(i), a.rps(), b.rps());
        }
        for (int i = 0; i < results.size(); i += 2) {
            Result rest = results.get(i);
            Result grpc = results.get(i + 1);
            System.out.printf(Locale.ROOT, "%s: gRPC/REST %.2f x the request rate, p99 %.2f x%n",
                    grpc.name().substring(5), grpc.rps() / rest.rps(), grpc.p99Millis() / rest.p99Millis());
        }
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Keeps {@code concurrency} requests in flight for {@code seconds}; latencies of the finished ones. */
    static Result run(Sender sender, int concurrency, int seconds) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong errors = new AtomicLong();
        long[][] latencies = new long[concurrency][];
        int[] counts = new int[concurrency];
        CountDownLatch finished = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            latencies[w] = new long[1 << 16];
            new Object() {
                void next() {
                    if (!running.get()) {
                        finished.countDown();
                        return;
                    }
                    long sent = System.nanoTime();
                    sender.send(ok -> {
                        if (!ok) {
                            errors.incrementAndGet();
                        }
                        if (counts[worker] == latencies[worker].length) {
                            latencies[worker] = Arrays.copyOf(latencies[worker], counts[worker] * 2);
                        }
                        latencies[worker][counts[worker]++] = System.nanoTime() - sent;
                        next();
                    });
                }
            }.next();
        }
        Thread.sleep(seconds * 1000L);
        running.set(false);
        finished.await(30, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int w = 0; w < concurrency; w++) {
            System.arraycopy(latencies[w], 0, all, at, counts[w]);
            at += counts[w];
        }
        Arrays.sort(all);
        return new Result("", total / elapsed, percentile(all, 0.50), percentile(all, 0.99), errors.get());
    }

    private static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)] / 1e6;
    }

    /**
     * Writes the 1-row and 64-row requests as gRPC messages on the wire (a 0 byte, the length as
     * 4 big-endian bytes, the protobuf) to {@code grpc-1.bin} and {@code grpc-64.bin}, for h2load.
     */
    static void writeFrames(Path directory, String model, int inputs) throws IOException {
        for (int rows : new int[] {1, 64}) {
            byte[] message = grpcRequest(model, rows(rows, inputs)).toByteArray();
            ByteBuffer frame = ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message);
            Files.write(directory.resolve("grpc-" + rows + ".bin"), frame.array());
        }
    }

    static double[][] rows(int n, int inputs) {
        SplittableRandom random = new SplittableRandom(1);
        double[][] rows = new double[n][inputs];
        for (double[] row : rows) {
            for (int i = 0; i < inputs; i++) {
                row[i] = random.nextDouble(-1, 1);
            }
        }
        return rows;
    }

    static ModelInferRequest grpcRequest(String model, double[][] rows) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (double[] row : rows) {
            for (double v : row) {
                contents.addFp64Contents(v);
            }
        }
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model);
        request.addInputsBuilder().setName("input-0").setDatatype("FP64").addShape(rows.length)
                .addShape(rows[0].length).setContents(contents);
        return request.build();
    }

    static String restBody(double[][] rows) {
        StringBuilder data = new StringBuilder();
        for (double[] row : rows) {
            for (double v : row) {
                data.append(data.isEmpty() ? "" : ", ").append(v);
            }
        }
        return "{\"inputs\": [{\"name\": \"input-0\", \"shape\": [" + rows.length + ", " + rows[0].length
                + "], \"datatype\": \"FP64\", \"data\": [" + data + "]}]}";
    }

    private static String option(String[] args, String name, String otherwise) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return otherwise;
    }
}
