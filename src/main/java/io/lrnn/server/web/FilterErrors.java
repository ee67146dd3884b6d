package io.lrnn.server.web;

import io.lrnn.server.common.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Writes an error from a servlet filter, before Spring MVC is reached, in the same shape as
 * {@link ErrorMapper}: problem+json on the native API, {@code {"error": "..."}} under {@code /v2}.
 */
final class FilterErrors {


    private FilterErrors() {
    }

    /** Sets the status, headers and body of {@code response}; the caller adds any further headers first. */
    static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String type,
                      String detail) throws IOException {
        ResponseEntity<Object> entity = ErrorMapper.respond(request, status, type, detail);
        response.setStatus(entity.getStatusCode().value());
        response.setContentType(String.valueOf(entity.getHeaders().getContentType()));
        Object body = entity.getBody() instanceof ProblemDetail problem ? members(problem) : entity.getBody();
        Json.MAPPER.writeValue(response.getOutputStream(), body);
    }

    /** The RFC 9457 members, as Spring MVC writes a {@link ProblemDetail} (its properties inline). */
    private static Map<String, Object> members(ProblemDetail problem) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("type", problem.getType().toString());
        members.put("title", problem.getTitle());
        members.put("status", problem.getStatus());
        members.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            members.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            members.putAll(problem.getProperties());
        }
        return members;
    }
}
