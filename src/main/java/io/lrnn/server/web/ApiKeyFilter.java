package io.lrnn.server.web;

import io.lrnn.server.common.BearerKey;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requires {@code Authorization: Bearer <lrnn.security.api-key>} when a key is configured. Open
 * without the key: health ({@code /actuator/health/**}, {@code /livez}, {@code /readyz}),
 * {@code /actuator/prometheus}, the OpenAPI document and Swagger UI, the console's static files
 * ({@code /}, {@code /console/**}, {@code /webjars/**}: the page asks for the key itself), and the Open Inference
 * Protocol's metadata and health under {@code /v2}; predict ({@code /api/v1/models/{name}[/versions/{v}]/predict},
 * {@code /v2/models/{m}[/versions/{v}]/infer}) is open unless {@code lrnn.security.protect-predict}.
 * Everything else (the management API, other actuator endpoints, unknown paths) needs the key.
 * A request whose raw URI is not its plain path (encoded characters, dot segments, path
 * parameters) is never treated as open, so no spelling of a path can slip past the rule.
 */
class ApiKeyFilter extends OncePerRequestFilter {

    private static final Pattern PREDICT = Pattern.compile("/api/v1/models/[^/]+(/versions/[^/]+)?/predict");
    private static final Pattern INFER = Pattern.compile("/v2/models/[^/]+(/versions/[^/]+)?/infer");
    private static final Pattern OPEN = Pattern.compile(
            "/livez|/readyz|/actuator/health(/.*)?|/actuator/prometheus"
                    + "|/v3/api-docs(\\.yaml)?(/.*)?|/swagger-ui\\.html|/swagger-ui/.*"
                    + "|/|/console/.*|/webjars/.*");

    private final BearerKey key;
    private final boolean protectPredict;

    /** @param apiKey the key; requests are checked only when it is not blank */
    ApiKeyFilter(String apiKey, boolean protectPredict) {
        this.key = new BearerKey(apiKey);
        this.protectPredict = protectPredict;
    }

    /**
     * Whether {@code path} (without the context path) needs the key when one is configured.
     * OpenAPI path templates ({@code /api/v1/models/{name}/predict}) are judged like real paths.
     */
    static boolean needsKey(String path, boolean protectPredict) {
        if (PREDICT.matcher(path).matches() || INFER.matcher(path).matches()) {
            return protectPredict;
        }
        if (path.equals("/v2") || path.startsWith("/v2/")) {
            return false;
        }
        return !OPEN.matcher(path).matches();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !key.configured();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        boolean plain = request.getRequestURI().equals(request.getContextPath() + path);
        if (plain && !needsKey(path, protectPredict)) {
            chain.doFilter(request, response);
            return;
        }
        String refusal = key.refusal(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (refusal == null) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        FilterErrors.write(request, response, HttpStatus.UNAUTHORIZED, "unauthorized", refusal);
    }
}
