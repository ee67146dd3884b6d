package io.lrnn.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real HTTP/1.1 calls to a running server on localhost, for the end-to-end tests. Every call
 * takes optional header name/value pairs after its other arguments.
 */
public final class HttpTestClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    private final String[] defaultHeaders;

    /** An answer: status, headers and the body as text; {@link #body()} reads it as JSON. */
    public record Response(int status, HttpHeaders headers, String raw) {

        public JsonNode body() {
            return JSON.readTree(raw);
        }

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    public HttpTestClient(int port) {
        this(port, new String[0]);
    }

    /** A client that sends the header name/value pairs {@code defaultHeaders} on every call. */
    public HttpTestClient(int port, String... defaultHeaders) {
        this.port = port;
        this.defaultHeaders = defaultHeaders.clone();
    }

    public int port() {
        return port;
    }

    /** A request builder for {@code path} with the given header name/value pairs. */
    public HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(TIMEOUT);
        for (int i = 0; i < defaultHeaders.length; i += 2) {
            builder.header(defaultHeaders[i], defaultHeaders[i + 1]);
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    public Response get(String path, String... headers) {
        return send(request(path, headers).GET());
    }

    public Response delete(String path, String... headers) {
        return send(request(path, headers).DELETE());
    }

    public Response postJson(String path, String json, String... headers) {
        return send(request(path, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response putJson(String path, String json, String... headers) {
        return send(request(path, headers).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A multipart/form-data PUT with one file part per entry (file name = part name). */
    public Response putMultipart(String path, Map<String, byte[]> parts, String... headers) {
        String boundary = "lrnn-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        parts.forEach((name, content) -> {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
                    + "\"; filename=\"" + name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        });
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(request(path, headers).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    public Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code {"instances": [[x1, x2], ...]}} with {@code rows} rows for a model of two inputs. */
    public static String instances(int rows) {
        StringBuilder body = new StringBuilder("{\"instances\": [");
        for (int b = 0; b < rows; b++) {
            body.append(b == 0 ? "" : ", ").append('[').append(0.001 * b).append(", ").append(-0.002 * b).append(']');
        }
        return body.append("]}").toString();
    }
}
