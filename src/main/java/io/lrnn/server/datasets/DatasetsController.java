package io.lrnn.server.datasets;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Data sets: upload CSV (body or multipart "file") or JSON rows; get, list, delete. */
@RestController
@RequestMapping("/api/v1/datasets")
@Tag(name = "Data sets", description = "Tables to train on")
class DatasetsController {

    /** springdoc merges the three uploads into one operation and keeps one body: it lists both kinds. */
    private static final String JSON_EXAMPLE = "{\"columns\": [\"x\", \"y\"], \"rows\": [[1, 2.5], [2, 4.0]]}";

    private final DatasetService service;

    DatasetsController(DatasetService service) {
        this.service = service;
    }

    @PostMapping(consumes = {"text/csv", "text/plain"})
    @Operation(summary = "Upload CSV with a header row (streamed)", requestBody = @RequestBody(content = {
            @Content(mediaType = "text/csv", schema = @Schema(type = "string")),
            @Content(mediaType = "application/json", schema = @Schema(type = "object", example = JSON_EXAMPLE))}))
    ResponseEntity<Dataset> csv(@RequestParam(required = false) String name, HttpServletRequest request)
            throws IOException {
        try (InputStream body = request.getInputStream()) {
            return created(service.createFromCsv(name, body));
        }
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Upload CSV as the multipart part 'file'")
    ResponseEntity<Dataset> multipart(@RequestParam(required = false) String name,
                                      @RequestPart("file") MultipartFile file) throws IOException {
        try (InputStream body = file.getInputStream()) {
            return created(service.createFromCsv(name != null ? name : file.getOriginalFilename(), body));
        }
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Upload rows as JSON (read up to lrnn.datasets.max-size)")
    ResponseEntity<Dataset> json(@RequestParam(required = false) String name, HttpServletRequest request)
            throws IOException {
        try (InputStream body = request.getInputStream()) {
            return created(service.createFromJson(name, body));
        }
    }

    @GetMapping
    @Operation(summary = "Every data set, newest first")
    List<Dataset> list() {
        return service.list();
    }

    @GetMapping("/{id}")
    @Operation(summary = "One data set: rows, columns (numeric or text), digest")
    Dataset get(@PathVariable String id) {
        return service.get(id);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a data set no queued or running job needs")
    ResponseEntity<Void> delete(@PathVariable String id) {
        service.delete(id);
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<Dataset> created(Dataset dataset) {
        return ResponseEntity.created(URI.create("/api/v1/datasets/" + dataset.id())).body(dataset);
    }
}
