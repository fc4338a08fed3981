package io.img2rec.serve.registry;

/** A set of checkpoints cannot be served: unreadable, inconsistent or incomplete; the message says which and why. */
public class ModelLoadException extends Exception {
    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
