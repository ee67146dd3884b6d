package io.lrnn.server.predict;

import io.lrnn.server.common.ProblemException;
import org.springframework.http.HttpStatus;

/** A row whose finite inputs overflow inside the network: 422, naming the row and output, never NaN in a 200. */
public class NonFiniteOutputException extends ProblemException {

    public NonFiniteOutputException(int row, String output, double value) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "non-finite-output", "row " + row + ": expected a finite "
                + output + " but found " + value + " (its inputs overflow inside the model; they are far outside "
                + "the range it was trained on)");
    }
}
