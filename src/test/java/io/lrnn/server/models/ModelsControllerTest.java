package io.lrnn.server.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.lrnn.server.TestModels;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

@WebMvcTest(ModelsController.class)
@Import(ModelRegistry.class)
class ModelsControllerTest {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    ModelRegistry registry;

    @MockitoBean
    ModelService service;

    @BeforeEach
    void twoVersions() {
        registry.add(new LoadedModel("demo", "1", TestModels.regression(1), true, Instant.EPOCH), true);
        registry.add(new LoadedModel("demo", "2", TestModels.regression(2), false, Instant.EPOCH), true);
    }

    @Test
    void listsModelsWithSchemaArchitectureAndDefault() {
        assertThat(mvc.get().uri("/api/v1/models")).hasStatusOk().bodyJson()
                .hasPathSatisfying("$[0].name", v -> v.assertThat().isEqualTo("demo"))
                .hasPathSatisfying("$[0].defaultVersion", v -> v.assertThat().isEqualTo("2"))
                .hasPathSatisfying("$[0].versions[0].inputs", v -> v.assertThat().asList().containsExactly("x1", "x2", "x3"))
                .hasPathSatisfying("$[0].versions[0].architecture[0].projection", v -> v.assertThat().isEqualTo(3))
                .hasPathSatisfying("$[0].versions[0].parameterCount",
                        v -> v.assertThat().isEqualTo((int) TestModels.regression(1).network().parameters().count()))
                .hasPathSatisfying("$[0].versions[1].isDefault", v -> v.assertThat().isEqualTo(true));
    }

    @Test
    void unknownModelIsAProblemNamingIt() {
        assertThat(mvc.get().uri("/api/v1/models/nope")).hasStatus(404)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON).bodyJson()
                .hasPathSatisfying("$.detail", v -> v.assertThat().isEqualTo("no model named nope"))
                .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo("https://lrnn.io/problems/not-found"));
        assertThat(mvc.get().uri("/api/v1/models/demo/versions/7")).hasStatus(404).bodyJson()
                .hasPathSatisfying("$.detail", v -> v.assertThat().isEqualTo("model demo has no version 7 (versions: 1, 2)"));
    }

    @Test
    void uploadPassesBothFilesAndAnswersCreated() {
        byte[] json = TestModels.json(TestModels.regression(3));
        byte[] weights = TestModels.weights(TestModels.regression(3));
        when(service.upload(eq("demo"), eq("3"), any(), any()))
                .thenReturn(new LoadedModel("demo", "3", TestModels.regression(3), false, Instant.EPOCH));
        assertThat(mvc.put().uri("/api/v1/models/demo/versions/3").multipart()
                .file(new MockMultipartFile("model", "model.json", "application/json", json))
                .file(new MockMultipartFile("weights", "weights.safetensors", "application/octet-stream", weights)))
                .hasStatus(201).hasHeader("Location", "/api/v1/models/demo/versions/3");
        org.mockito.ArgumentCaptor<ModelService.Part> parts = org.mockito.ArgumentCaptor.forClass(ModelService.Part.class);
        verify(service).upload(eq("demo"), eq("3"), parts.capture(), parts.capture());
        assertThat(parts.getAllValues().get(0).size()).isEqualTo(json.length);
        assertThat(parts.getAllValues().get(1).size()).isEqualTo(weights.length);
        assertThat(read(parts.getAllValues().get(0))).isEqualTo(json);
        assertThat(read(parts.getAllValues().get(1))).isEqualTo(weights);
    }

    @Test
    void uploadWithoutWeightsNamesThePart() {
        assertThat(mvc.put().uri("/api/v1/models/demo/versions/3").multipart()
                .file(new MockMultipartFile("model", "model.json", "application/json", new byte[] {'{', '}'})))
                .hasStatus(400).bodyJson().hasPathSatisfying("$.detail", v -> v.assertThat().asString().contains("weights"));
    }

    @Test
    void invalidAndConflictingUploadsAreClientErrors() {
        when(service.upload(eq("demo"), eq("3"), any(), any()))
                .thenThrow(new InvalidModelException("weights.safetensors: head.bias: expected shape [2] but found [3]"));
        when(service.upload(eq("demo"), eq("2"), any(), any()))
                .thenThrow(new ModelConflictException("model demo already has a version 2"));
        assertThat(upload("3")).hasStatus(400).bodyJson()
                .hasPathSatisfying("$.detail", v -> v.assertThat().isEqualTo("weights.safetensors: head.bias: expected shape [2] but found [3]"))
                .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo("https://lrnn.io/problems/invalid-model"));
        assertThat(upload("2")).hasStatus(409);
    }

    @Test
    void deleteAndDefaultVersion() {
        assertThat(mvc.delete().uri("/api/v1/models/demo/versions/2")).hasStatus(204);
        verify(service).delete("demo", "2");
        doThrow(new ModelConflictException("read-only")).when(service).delete("demo", "1");
        assertThat(mvc.delete().uri("/api/v1/models/demo/versions/1")).hasStatus(409);

        assertThat(mvc.put().uri("/api/v1/models/demo/default-version").contentType(MediaType.APPLICATION_JSON)
                .content("{\"version\": \"1\"}")).hasStatusOk();
        verify(service).setDefaultVersion("demo", "1");
        assertThat(mvc.put().uri("/api/v1/models/demo/default-version").contentType(MediaType.APPLICATION_JSON)
                .content("{}")).hasStatus(400).bodyJson()
                .hasPathSatisfying("$.detail", v -> v.assertThat().asString().startsWith("version: expected"));
    }

    private org.springframework.test.web.servlet.assertj.MvcTestResult upload(String version) {
        return mvc.put().uri("/api/v1/models/demo/versions/" + version).multipart()
                .file(new MockMultipartFile("model", new byte[] {1}))
                .file(new MockMultipartFile("weights", new byte[] {2})).exchange();
    }

    private static byte[] read(ModelService.Part part) {
        try {
            return part.bytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
