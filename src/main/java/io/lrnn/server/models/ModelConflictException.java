package io.lrnn.server.models;

import io.lrnn.server.common.ProblemException;
import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * The change would overwrite or delete something it must not (an existing or read-only version, a
 * version a label names, a label the traffic split uses).
 */
public class ModelConflictException extends ProblemException {

    public ModelConflictException(String message) {
        super(HttpStatus.CONFLICT, "conflict", message);
    }

    /** A version that labels name cannot be deleted. */
    static ModelConflictException labelled(String name, String version, List<String> labels) {
        return new ModelConflictException("model " + name + " version " + version + " is named by the label"
                + (labels.size() == 1 ? " " : "s ") + String.join(", ", labels)
                + "; point them at another version or delete them first");
    }

    /** A label of the traffic split cannot be deleted. */
    static ModelConflictException inSplit(String name, String label) {
        return new ModelConflictException("model " + name + " label " + label
                + " is part of the traffic split; change or delete the split first");
    }
}
