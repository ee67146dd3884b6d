package io.lrnn.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP/1.1 over a plain socket, for hostile requests: the body is written on a thread of its own
 * while the answer is read, so an answer the server sends before it has read the body (and then
 * closes the connection) is still seen, which {@code java.net.http} reports as a broken pipe.
 * Bodies are sent with a Content-Length or chunked, as asked.
 */
public final class RawHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** How soon a hostile request must be answered (see {@link #prompt}). */
    public static final Duration PROMPTLY = Duration.ofSeconds(15);
    /** Longest wait for an answer; a hostile request must be answered well within it. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    /** An answer: status, headers (lower-case names), body text, and how long it took. */
    public record Response(int status, Map<String, String> headers, String body, Duration elapsed) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** The problem's {@code detail} (native API) or the {@code error} (V2). */
        public String message() {
            JsonNode json = json();
            return json.has("detail") ? json.get("detail").asString() : json.get("error").asString();
        }
    }

    /**
     * A body the client writes: {@code head}, then {@code unit} {@code count} times, then {@code tail},
     * generated as it is written (a 40 MB row costs the test no 40 MB array), sent with a
     * Content-Length or chunked.
     */
    public record Body(String contentType, byte[] head, byte[] unit, long count, byte[] tail, boolean chunked) {

        private static final byte[] NONE = new byte[0];

        public Body(String contentType, byte[] bytes, boolean chunked) {
            this(contentType, bytes, NONE, 0, NONE, chunked);
        }

        public static Body json(byte[] bytes) {
            return new Body("application/json", bytes, false);
        }

        public static Body json(String text) {
            return json(text.getBytes(StandardCharsets.UTF_8));
        }

        /** {@code head + unit x count + tail}, all ASCII or UTF-8 text. */
        public static Body repeated(String contentType, String head, String unit, long count, String tail) {
            return new Body(contentType, head.getBytes(StandardCharsets.UTF_8), unit.getBytes(StandardCharsets.UTF_8),
                    count, tail.getBytes(StandardCharsets.UTF_8), false);
        }

        public Body asChunked() {
            return new Body(contentType, head, unit, count, tail, true);
        }

        public long length() {
            return head.length + unit.length * count + tail.length;
        }
    }

    public Response post(String path, Body body) {
        return exchange("POST", path, body);
    }

    /** Sends one request on a new connection and reads the answer (the connection is then closed). */
    public Response exchange(String method, String path, Body body) {
        long start = System.nanoTime();
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n");
            if (body != null) {
                head.append("Content-Type: ").append(body.contentType()).append("\r\n")
                        .append(body.chunked() ? "Transfer-Encoding: chunked\r\n"
                                : "Content-Length: " + body.length() + "\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            Thread writer = new Thread(() -> write(out, head.toString(), body), "raw-http-writer");
            writer.setDaemon(true);
            writer.start();
            Response response = read(socket.getInputStream(), start);
            writer.interrupt();
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + ": no answer", e);
        }
    }

    /**
     * Opens a connection and sends only the head of a request declaring {@code declaredLength}
     * bytes plus {@code prefix}: the server waits for the rest, holding whatever it admitted the
     * request with, until the socket is closed.
     */
    public Socket stall(String path, long declaredLength, String prefix) {
        try {
            Socket socket = new Socket("localhost", port);
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + declaredLength + "\r\n\r\n" + prefix).getBytes(StandardCharsets.UTF_8));
            out.flush();
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The answer on a stalled connection if one arrives within {@code wait}, else null (still waiting). */
    public static Response answerWithin(Socket socket, Duration wait) {
        try {
            socket.setSoTimeout((int) wait.toMillis());
            InputStream in = socket.getInputStream();
            int first = in.read();
            if (first < 0) {
                throw new IOException("connection closed without an answer");
            }
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            return read(new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(new byte[] {(byte) first}),
                    in), System.nanoTime());
        } catch (java.net.SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(OutputStream out, String head, Body body) {
        try {
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                OutputStream sink = body.chunked() ? new Chunks(out) : new BufferedOutputStream(out, Chunks.SIZE);
                sink.write(body.head());
                for (long i = 0; i < body.count(); i++) {
                    sink.write(body.unit());
                }
                sink.write(body.tail());
                if (sink instanceof Chunks chunks) {
                    chunks.close(); // the last chunk; the socket stays open for the answer
                } else {
                    sink.flush(); // not close: that would close the socket
                }
            }
            out.flush();
        } catch (IOException e) {
            // The server answered and closed before taking the whole body: the answer is what counts.
        }
    }

    /** Chunked transfer coding: one chunk per 64 KiB written, the last chunk on close. */
    private static final class Chunks extends OutputStream {

        static final int SIZE = 64 * 1024;
        private final OutputStream out;
        private final byte[] buffer = new byte[SIZE];
        private int used;

        Chunks(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            while (length > 0) {
                int n = Math.min(length, SIZE - used);
                System.arraycopy(bytes, offset, buffer, used, n);
                used += n;
                offset += n;
                length -= n;
                if (used == SIZE) {
                    flushChunk();
                }
            }
        }

        private void flushChunk() throws IOException {
            if (used > 0) {
                out.write((Integer.toHexString(used) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(buffer, 0, used);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                used = 0;
            }
        }

        @Override
        public void close() throws IOException {
            flushChunk();
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static Response read(InputStream in, long start) throws IOException {
        String status = line(in);
        if (status == null || !status.startsWith("HTTP/1.1 ")) {
            throw new IOException("expected a status line but found " + status);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0;
                 size = Integer.parseInt(line(in).trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
        } else {
            body.write(in.readAllBytes());
        }
        return new Response(Integer.parseInt(status.substring(9, 12)), headers,
                body.toString(StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - start));
    }

    /** One CRLF-terminated line, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) c);
        }
        return line.isEmpty() ? null : line.toString();
    }

    /** The response, after asserting it came within {@link #PROMPTLY}. */
    public static Response prompt(Response response) {
        assertThat(response.elapsed()).as("answered within %s", PROMPTLY).isLessThan(PROMPTLY);
        return response;
    }

    /** The body of a 200 response (the assertion says what came instead). */
    public static String ok(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
