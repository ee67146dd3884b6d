package io.lrnn.server.web;

import io.lrnn.server.common.CappedInputStream;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Enforces {@code lrnn.predict.max-body-size} on every request body except the multipart model
 * uploads (which {@code spring.servlet.multipart.*} limits; multipart is refused on every other
 * path by {@link MultipartPathFilter}, which runs first) and data set uploads (which
 * {@code lrnn.datasets.max-size} limits as they stream in). A declared {@code Content-Length} over the
 * limit is answered 413 at once, without reading the body; a body of unknown length (chunked) is
 * counted as it is read (by the shared {@link CappedInputStream}) and reading past the limit throws {@link PayloadTooLargeException}, which
 * {@link ErrorMapper} turns into the same 413.
 */
class BodySizeLimitFilter extends OncePerRequestFilter {

    static final String DATASETS = "/api/v1/datasets";

    private final long limit;

    BodySizeLimitFilter(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit: expected at least 0 bytes but found " + limit);
        }
        this.limit = limit;
    }

    /** Multipart reaches this filter only on the upload endpoints ({@link MultipartPathFilter}). */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return MultipartPathFilter.isMultipart(request) || request.getRequestURI().equals(DATASETS);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            // The body stays unread: close the connection rather than let the container swallow it.
            response.setHeader(HttpHeaders.CONNECTION, "close");
            FilterErrors.write(request, response, HttpStatus.CONTENT_TOO_LARGE, "payload-too-large",
                    "request body: expected at most " + limit + " bytes (lrnn.predict.max-body-size) but found "
                            + "Content-Length " + declared);
            return;
        }
        chain.doFilter(declared < 0 ? new Limited(request, limit) : request, response);
    }

    /** A request whose body, of unknown length, may be read only up to the limit. */
    private static final class Limited extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;
        private BufferedReader reader;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (reader != null) {
                throw new IllegalStateException("getReader() has already been called for this request");
            }
            if (stream == null) {
                stream = capped();
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            if (stream != null) {
                throw new IllegalStateException("getInputStream() has already been called for this request");
            }
            if (reader == null) {
                String encoding = getCharacterEncoding();
                Charset charset = encoding != null ? Charset.forName(encoding) : StandardCharsets.ISO_8859_1;
                reader = new BufferedReader(new InputStreamReader(capped(), charset));
            }
            return reader;
        }

        private ServletInputStream capped() throws IOException {
            ServletInputStream in = super.getInputStream();
            return new CappedServletStream(in, new CappedInputStream(in, limit, PayloadTooLargeException::new));
        }
    }

    /** The servlet face of a {@link CappedInputStream}: reads go through the cap, the rest to the container's stream. */
    private static final class CappedServletStream extends ServletInputStream {

        private final ServletInputStream servlet;
        private final CappedInputStream capped;

        CappedServletStream(ServletInputStream servlet, CappedInputStream capped) {
            this.servlet = servlet;
            this.capped = capped;
        }

        @Override
        public int read() throws IOException {
            return capped.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return capped.read(buffer, offset, length);
        }

        @Override
        public boolean isFinished() {
            return servlet.isFinished();
        }

        @Override
        public boolean isReady() {
            return servlet.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            servlet.setReadListener(listener);
        }

        @Override
        public int available() throws IOException {
            return capped.available();
        }

        @Override
        public void close() throws IOException {
            capped.close();
        }
    }
}
