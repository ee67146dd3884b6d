package io.lrnn.server.web;

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
 * Lets a multipart body reach only the two endpoints that take one, {@code PUT
 * /api/v1/models/{name}/versions/{version}} and {@code POST /api/v1/datasets}; anywhere else it is
 * answered 415 before a byte of it is read. The filter runs before {@code DispatcherServlet},
 * whose multipart resolver would otherwise parse (and spool) every part of any multipart request
 * up to {@code spring.servlet.multipart.max-request-size} before the handler is even chosen.
 */
class MultipartPathFilter extends OncePerRequestFilter {

    static final String UPLOADS = "PUT /api/v1/models/{name}/versions/{version} and POST /api/v1/datasets";

    private static final Pattern MODEL_VERSION = Pattern.compile("/api/v1/models/[^/]+/versions/[^/]+");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !isMultipart(request) || isUpload(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // The body stays unread: close the connection rather than let the container swallow it.
        response.setHeader(HttpHeaders.CONNECTION, "close");
        FilterErrors.write(request, response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                "Content-Type: expected a multipart body only on " + UPLOADS + " but found "
                        + shorten(request.getContentType()) + " on " + request.getMethod() + " "
                        + shorten(request.getRequestURI()));
    }

    static boolean isMultipart(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.regionMatches(true, 0, "multipart/", 0, "multipart/".length());
    }

    private static boolean isUpload(HttpServletRequest request) {
        String path = request.getRequestURI();
        return request.getMethod().equals("PUT") && MODEL_VERSION.matcher(path).matches()
                || request.getMethod().equals("POST") && path.equals(BodySizeLimitFilter.DATASETS);
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
