package io.lrnn.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Which paths need the key, and how the filter answers, without a server. */
class ApiKeyFilterTest {

    static final String KEY = "0123456789abcdef";

    @ParameterizedTest(name = "{0}: open predict {1}, protected predict {2}")
    @CsvSource({
            "/api/v1/models,                                   true,  true",
            "/api/v1/models/demo,                              true,  true",
            "/api/v1/models/demo/versions/1,                   true,  true",
            "/api/v1/models/demo/default-version,              true,  true",
            "/api/v1/training-jobs,                            true,  true",
            "/api/v1/training-jobs/job-1/events,               true,  true",
            "/api/v1/training-presets,                         true,  true",
            "/api/v1/datasets/ds-1,                            true,  true",
            "/api/v1/models/demo/predict,                      false, true",
            "/api/v1/models/demo/versions/1/predict,           false, true",
            "/api/v1/models/{name}/versions/{version}/predict, false, true",
            "/api/v1/models/demo/predict/extra,                true,  true",
            "/api/v1/models/a/b/predict,                       true,  true",
            "/api/v1/predict,                                  true,  true",
            "/v2/models/demo/infer,                            false, true",
            "/v2/models/demo/versions/2/infer,                 false, true",
            "/v2,                                              false, false",
            "/v2/health/live,                                  false, false",
            "/v2/health/ready,                                 false, false",
            "/v2/models/demo,                                  false, false",
            "/v2/models/demo/versions/2/ready,                 false, false",
            "/livez,                                           false, false",
            "/readyz,                                          false, false",
            "/actuator/health,                                 false, false",
            "/actuator/health/readiness,                       false, false",
            "/actuator/prometheus,                             false, false",
            "/v3/api-docs,                                     false, false",
            "/v3/api-docs/swagger-config,                      false, false",
            "/swagger-ui.html,                                 false, false",
            "/swagger-ui/index.html,                           false, false",
            "/actuator,                                        true,  true",
            "/actuator/metrics,                                true,  true",
            "/actuator/healthy,                                true,  true",
            "/actuator/prometheus/x,                           true,  true",
            "/livez/x,                                         true,  true",
            "/,                                                false, false",
            "/console/index.html,                              false, false",
            "/console/js/app.js,                               false, false",
            "/webjars/uplot/1.6.30/dist/uPlot.esm.js,          false, false",
            "/console,                                         true,  true",
            "/consoles/x,                                      true,  true",
            "/index.html,                                      true,  true",
            "/v2x/models/demo,                                 true,  true",
    })
    void needsKey(String path, boolean withOpenPredict, boolean withProtectedPredict) {
        assertThat(ApiKeyFilter.needsKey(path, false)).isEqualTo(withOpenPredict);
        assertThat(ApiKeyFilter.needsKey(path, true)).isEqualTo(withProtectedPredict);
    }

    @Test
    void anOpenPathSpelledOtherwiseThanPlainlyNeedsTheKey() throws Exception {
        ApiKeyFilter filter = new ApiKeyFilter(KEY, false);
        MockHttpServletRequest plain = request("/api/v1/models/demo/predict", "/api/v1/models/demo/predict");
        MockHttpServletRequest withParameter = request("/api/v1/models/demo;v=1/predict", "/api/v1/models/demo/predict");
        MockHttpServletRequest encoded = request("/api/v1/models/de%6Do/predict", "/api/v1/models/demo/predict");
        assertThat(run(filter, plain).getStatus()).isEqualTo(200);
        assertThat(run(filter, withParameter).getStatus()).isEqualTo(401);
        assertThat(run(filter, encoded).getStatus()).isEqualTo(401);
        withParameter.addHeader("Authorization", "Bearer " + KEY);
        assertThat(run(filter, withParameter).getStatus()).isEqualTo(200);
    }

    @Test
    void onlyTheExactKeyAfterTheBearerSchemePasses() throws Exception {
        ApiKeyFilter filter = new ApiKeyFilter(KEY, false);
        String[][] cases = {
                {"Bearer " + KEY, "200"}, {"bearer " + KEY, "200"}, {"BEARER  " + KEY + " ", "200"},
                {"Bearer " + KEY.substring(1), "401"}, {"Bearer " + KEY + "0", "401"},
                {"Bearer " + KEY.toUpperCase(), "401"}, {KEY, "401"}, {"Basic " + KEY, "401"},
                {"Bearer", "401"}, {"Bearer ", "401"}, {"", "401"}};
        for (String[] c : cases) {
            MockHttpServletRequest request = request("/api/v1/models", "/api/v1/models");
            request.addHeader("Authorization", c[0]);
            assertThat(run(filter, request).getStatus()).as("Authorization: '%s'", c[0])
                    .isEqualTo(Integer.parseInt(c[1]));
        }
    }

    @Test
    void withoutAKeyNothingIsChecked() throws Exception {
        for (String key : new String[] {null, "", "   "}) {
            MockHttpServletResponse response = run(new ApiKeyFilter(key, true),
                    request("/api/v1/models", "/api/v1/models"));
            assertThat(response.getStatus()).as("key '%s'", key).isEqualTo(200);
        }
    }

    @Test
    void refusalIsAProblemWithTheBearerChallenge() throws Exception {
        MockHttpServletResponse response = run(new ApiKeyFilter(KEY, false), request("/api/v1/models", "/api/v1/models"));
        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getContentAsString()).isEqualTo("{\"type\":\"https://lrnn.io/problems/unauthorized\","
                + "\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"Authorization: expected 'Bearer <API key>' "
                + "(lrnn.security.api-key) but found no bearer token\",\"instance\":\"/api/v1/models\"}");
    }

    private static MockHttpServletRequest request(String uri, String servletPath) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
        request.setServletPath(servletPath);
        return request;
    }

    /** The response, 200 if the filter passed the request on. */
    private static MockHttpServletResponse run(ApiKeyFilter filter, MockHttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }
}
