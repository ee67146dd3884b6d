package io.lrnn.server.common;

import tools.jackson.databind.json.JsonMapper;

/** The server's one JSON mapper for documents it stores (job requests, progress, provenance). */
public final class Json {

    public static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }
}
