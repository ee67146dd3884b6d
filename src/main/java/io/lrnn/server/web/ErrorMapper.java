package io.lrnn.server.web;

import io.lrnn.server.common.ProblemException;
import io.lrnn.server.store.StoreFailures;
import io.lrnn.server.store.StoreUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.transaction.TransactionException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place that turns exceptions into HTTP answers: RFC 9457 problem+json with a stable
 * {@code type} on the native API, {@code {"error": "..."}} on the Open Inference Protocol
 * ({@code /v2}). Messages say what was expected and what was found; no stack trace is ever sent.
 */
@RestControllerAdvice
public class ErrorMapper {

    /** Base of the {@code type} URIs; each problem kind appends its own name. */
    public static final String TYPE_BASE = "https://lrnn.io/problems/";

    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    private final Duration storeRetryAfter;

    /** {@code lrnn.store.retry-after} by name (LrnnProperties validates it), so controller slice tests need no properties bean. */
    ErrorMapper(@Value("${lrnn.store.retry-after:5s}") Duration storeRetryAfter) {
        this.storeRetryAfter = storeRetryAfter;
    }

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<Object> featureError(ProblemException e, HttpServletRequest request) {
        ResponseEntity<Object> response = respond(request, e.status(), e.type(), e.getMessage());
        if (e.retryAfterSeconds() <= 0) {
            return response;
        }
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds())).body(response.getBody());
    }

    /** The database unreachable for now (no pooled connection in time, or one lost mid-way): 503, never 500. */
    @ExceptionHandler({DataAccessException.class, TransactionException.class})
    ResponseEntity<Object> storeError(Exception e, HttpServletRequest request) {
        if (!StoreFailures.unavailable(e)) {
            return unexpected(e, request);
        }
        log.warn("Database unavailable on {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
        return featureError(new StoreUnavailableException(storeRetryAfter, e), request);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Object> noResource(NoResourceFoundException e, HttpServletRequest request) {
        return respond(request, HttpStatus.NOT_FOUND, "not-found", "no endpoint at " + request.getRequestURI());
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<Object> uploadTooLarge(MaxUploadSizeExceededException e, HttpServletRequest request) {
        return respond(request, HttpStatus.CONTENT_TOO_LARGE, "payload-too-large",
                "upload: expected at most spring.servlet.multipart.max-file-size per part but found more");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Object> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        PayloadTooLargeException tooLarge = PayloadTooLargeException.in(e);
        if (tooLarge != null) {
            return featureError(tooLarge, request);
        }
        return respond(request, HttpStatus.BAD_REQUEST, "malformed-request",
                "request body: expected well-formed JSON but found " + describe(e));
    }

    @ExceptionHandler(MissingServletRequestPartException.class)
    ResponseEntity<Object> missingPart(MissingServletRequestPartException e, HttpServletRequest request) {
        return respond(request, HttpStatus.BAD_REQUEST, "malformed-request", e.getRequestPartName()
                + ": expected a multipart part named " + e.getRequestPartName() + " but found none");
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class})
    ResponseEntity<Object> badRequest(Exception e, HttpServletRequest request) {
        return respond(request, HttpStatus.BAD_REQUEST, "malformed-request", e.getMessage());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Object> unsupportedType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return respond(request, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                "Content-Type: expected one of " + e.getSupportedMediaTypes() + " but found " + e.getContentType());
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Object> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return respond(request, HttpStatus.NOT_ACCEPTABLE, "not-acceptable", e.getMessage());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return respond(request, HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", e.getMessage());
    }

    /** The client left while its answer was written: nothing to answer, and not a server error. */
    @ExceptionHandler(HttpMessageNotWritableException.class)
    ResponseEntity<Object> notWritable(HttpMessageNotWritableException e, HttpServletRequest request) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                log.debug("Client gone while answering {} {}: {}", request.getMethod(), request.getRequestURI(),
                        t.getMessage());
                return null;
            }
        }
        return unexpected(e, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        if (StoreFailures.unavailable(e)) {
            return storeError(e, request); // wrapped on its way here
        }
        log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return respond(request, HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "the server failed to answer; the error is logged");
    }

    /** A problem+json body, or the Open Inference Protocol's error body under /v2. */
    static ResponseEntity<Object> respond(HttpServletRequest request, HttpStatus status, String type, String detail) {
        if (isOpenInference(request)) {
            return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Map.of("error", detail));
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setInstance(URI.create(request.getRequestURI()));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    static boolean isOpenInference(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.equals("/v2") || path.startsWith("/v2/");
    }

    /** The parser's complaint without class names or stack frames. */
    private static String describe(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        String message = cause.getMessage() == null ? "an unreadable body" : cause.getMessage();
        for (String noise : new String[] {"\n", " (start marker", " at [Source"}) {
            int end = message.indexOf(noise);
            message = end > 0 ? message.substring(0, end) : message;
        }
        return message;
    }
}
