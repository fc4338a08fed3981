package io.img2rec.core.weights;

/** A weights file or setting that cannot be used; the message names the file, the layer and what to do. */
public class WeightsException extends Exception {

    private static final long serialVersionUID = 1L;

    public WeightsException(String message) {
        super(message);
    }

    public WeightsException(String message, Throwable cause) {
        super(message, cause);
    }
}
