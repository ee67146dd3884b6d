package io.lrnn.server.web;

import io.lrnn.server.config.LrnnProperties;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}; both off
 * with {@code LRNN_OPENAPI_ENABLED=false}): title, description, version and the bearer API-key
 * scheme, required (when a key is configured) on exactly the operations {@link ApiKeyFilter}
 * protects.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String SCHEME = "bearer";

    @Bean
    OpenAPI lrnnOpenApi(@Value("${spring.application.version:development}") String version) {
        return new OpenAPI()
                .info(new Info().title("LRNN Serve API").version(version)
                        .description("""
                                Serves deep low-rank separated neural networks (LRNNs). The native API \
                                manages model versions and predicts (`/api/v1`); the Open Inference \
                                Protocol (KServe V2, `/v2`) serves the same models to KServe clients. \
                                Errors are RFC 9457 `application/problem+json` with a stable `type` \
                                (`{"error": "..."}` under `/v2`). When `lrnn.security.api-key` is set, \
                                management calls need `Authorization: Bearer <key>`; predict needs it \
                                only with `lrnn.security.protect-predict`."""))
                .components(new Components().addSecuritySchemes(SCHEME, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("The API key (lrnn.security.api-key), when one is configured")));
    }

    /**
     * When a key is configured, marks each operation that needs it, by the same rule as the
     * filter; without a key nothing is required, as nothing is checked.
     */
    @Bean
    OpenApiCustomizer apiKeyRequirements(LrnnProperties properties) {
        String apiKey = properties.security().apiKey();
        boolean protectPredict = properties.security().protectPredict();
        return openApi -> {
            if (apiKey == null || apiKey.isBlank() || openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> {
                if (ApiKeyFilter.needsKey(path, protectPredict)) {
                    item.readOperations().forEach(operation ->
                            operation.addSecurityItem(new SecurityRequirement().addList(SCHEME)));
                }
            });
        };
    }
}
