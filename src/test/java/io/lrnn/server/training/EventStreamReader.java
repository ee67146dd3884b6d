package io.lrnn.server.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Server-Sent Events client over a raw HTTP/1.1 response: a reader thread splits the body into
 * frames as the text/event-stream format defines them, and the test waits on frames, not on time.
 */
final class EventStreamReader implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One frame: its {@code event}, {@code id} (null when absent) and {@code data}; comments have event ":". */
    record Frame(String event, String id, String data) {

        JsonNode json() {
            return JSON.readTree(data);
        }

        long step() {
            return Long.parseLong(id);
        }
    }

    /** The end of the body. */
    static final Frame CLOSED = new Frame("(closed)", null, null);

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    /** The body of an answer that is not a stream (status other than 200), else null. */
    private final String body;

    private EventStreamReader(HttpResponse<InputStream> response) throws IOException {
        this.response = response;
        if (response.statusCode() == 200) {
            Thread reader = new Thread(this::read, "sse-test-reader");
            reader.setDaemon(true);
            reader.start();
            body = null;
        } else {
            try (InputStream in = response.body()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    /** Opens {@code path} on localhost:{@code port} with the given header name/value pairs. */
    static EventStreamReader open(int port, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return new EventStreamReader(CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    int status() {
        return response.statusCode();
    }

    String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The next frame (comments included), failing after {@code timeout}. */
    Frame next(Duration timeout) throws InterruptedException {
        assertThat(status()).as("a stream, not: %s", body).isEqualTo(200);
        Frame frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(frame).as("a frame within " + timeout).isNotNull();
        return frame;
    }

    /** The next event (comments skipped). */
    Frame nextEvent(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Frame frame = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (!frame.event().equals(":")) {
                return frame;
            }
        }
    }

    /** Every event up to and including {@code end} and then the end of the body. */
    List<Frame> eventsUntilEnd(Duration timeout) throws InterruptedException {
        List<Frame> events = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (events.isEmpty() || !events.get(events.size() - 1).event().equals("end")) {
            Frame frame = nextEvent(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            assertThat(frame).as("the stream ended without an end event after %s", events).isNotEqualTo(CLOSED);
            events.add(frame);
        }
        assertThat(nextEvent(Duration.ofSeconds(10))).as("the server completes the stream after end")
                .isEqualTo(CLOSED);
        return events;
    }

    /** The whole body of an answer that is not a stream (an error). */
    String body() {
        return body;
    }

    private void read() {
        InputStreamReader body = new InputStreamReader(response.body(), StandardCharsets.UTF_8);
        try (BufferedReader lines = new BufferedReader(body)) {
            String event = null;
            String id = null;
            StringBuilder data = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (data != null || event != null) {
                        String text = data == null ? "" : data.toString();
                        frames.add(new Frame(event == null ? "message" : event, id, text));
                    }
                    event = null;
                    id = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    frames.add(new Frame(":", null, line.substring(1).strip()));
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    value = value.startsWith(" ") ? value.substring(1) : value;
                    switch (field) {
                        case "event" -> event = value;
                        case "id" -> id = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> throw new IllegalStateException("unexpected field in " + line);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            frames.add(new Frame("(failed)", null, e.toString()));
        }
        frames.add(CLOSED);
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // closing: nothing left to read
        }
    }
}
