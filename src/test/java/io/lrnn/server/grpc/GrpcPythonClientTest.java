package io.lrnn.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lrnn.server.HttpTestClient;
import io.lrnn.server.TestModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client nobody here wrote: Debian's grpcio with Python stubs that {@code protoc} and its gRPC
 * plugin generate from src/main/proto/grpc_predict_v2.proto, run as a real process against the
 * server; its answers equal REST's. Every infer runs on a worker thread here. Skipped, saying why, where python3, protoc, the plugin or the
 * Python packages are absent (.ci/run installs them).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lrnn.grpc.port=-1", "lrnn.security.api-key=" + GrpcPythonClientTest.KEY, "lrnn.security.protect-predict=true",
        // Every infer on a worker thread here (GrpcEndToEndTest's run on the network threads).
        "lrnn.grpc.inline-work=0"})
class GrpcPythonClientTest {

    static final String KEY = "python-key";
    static final String PYTHON = "/usr/bin/python3";
    static final String PROTOC = "/usr/bin/protoc";
    static final String PLUGIN = "/usr/bin/grpc_python_plugin";
    static final String ROWS = "{\"inputs\": [{\"name\": \"input-0\", \"shape\": [2, 3], \"datatype\": \"FP64\", "
            + "\"data\": [0.25, -0.5, 1.0, 0.0, 0.1, -0.1]}]}";

    @TempDir
    static Path modelDirectory;

    @TempDir
    Path work;

    @DynamicPropertySource
    static void models(DynamicPropertyRegistry registry) {
        TestModels.write(modelDirectory, "py", "1", TestModels.regression(7));
        registry.add("lrnn.models.directory", modelDirectory::toString);
    }

    @LocalServerPort
    int httpPort;

    @Autowired
    GrpcServerLifecycle grpcServer;

    @Test
    void theGeneratedPythonClientGetsRestsAnswersAndItsErrors() throws Exception {
        for (String tool : List.of(PYTHON, PROTOC, PLUGIN)) {
            assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is not installed (apt-get install python3 "
                    + "protobuf-compiler protobuf-compiler-grpc)");
        }
        assumeTrue(run(List.of(PYTHON, "-c", "import grpc, google.protobuf")).exit() == 0,
                "python3-grpcio or python3-protobuf is not installed");
        Result generated = run(List.of(PROTOC, "-I", Path.of("src/main/proto").toAbsolutePath().toString(),
                "--python_out=" + work, "--grpc_out=" + work, "--plugin=protoc-gen-grpc=" + PLUGIN,
                "grpc_predict_v2.proto"));
        assertThat(generated.exit()).as(generated.output()).isZero();
        Path client = work.resolve("infer_client.py");
        try (InputStream script = getClass().getResourceAsStream("infer_client.py")) {
            Files.write(client, script.readAllBytes());
        }

        Result result = run(List.of(PYTHON, client.toString(), Integer.toString(grpcServer.port()), "py", KEY));
        assertThat(result.exit()).as(result.output()).isZero();
        JsonNode out = JsonMapper.builder().build().readTree(result.output().lines()
                .filter(line -> line.startsWith("{")).reduce((a, b) -> b).orElseThrow());

        assertThat(out.get("live").asBoolean()).isTrue();
        assertThat(out.get("ready").asBoolean()).isTrue();
        assertThat(out.get("model_ready").asBoolean()).isTrue();
        assertThat(out.get("server").asString()).isEqualTo("lrnn-serve");
        assertThat(GrpcEndToEndTest.strings(out.get("versions"))).containsExactly("1");
        assertThat(GrpcEndToEndTest.longs(out.get("input_shape"))).containsExactly(-1L, 3L);
        assertThat(out.get("id").asString()).isEqualTo("py-1");
        assertThat(out.get("version").asString()).isEqualTo("1");
        assertThat(GrpcEndToEndTest.longs(out.get("shape"))).containsExactly(2L, 2L);

        HttpTestClient.Response rest = new HttpTestClient(httpPort).postJson("/v2/models/py/infer", ROWS,
                "Authorization", "Bearer " + KEY);
        assertThat(rest.status()).isEqualTo(200);
        double[] expected = GrpcEndToEndTest.restValues(rest.body(), 0);
        assertThat(expected).hasSize(4);
        assertThat(doubles(out.get("contents"))).containsExactly(expected);
        assertThat(doubles(out.get("raw"))).containsExactly(expected);

        assertThat(out.get("unknown").get("code").asString()).isEqualTo("NOT_FOUND");
        assertThat(out.get("unknown").get("details").asString()).isEqualTo("no model named nope");
        assertThat(out.get("no_key").get("code").asString()).isEqualTo("UNAUTHENTICATED");
        assertThat(out.get("no_key").get("details").asString()).endsWith("but found no bearer token");
    }

    record Result(int exit, String output) {
    }

    private Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, output + "\n(timed out)");
        }
        return new Result(process.exitValue(), output);
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }
}
