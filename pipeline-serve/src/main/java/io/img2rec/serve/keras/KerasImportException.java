package io.img2rec.serve.keras;

/** A Keras model could not be flattened or imported; the message says which file and what is unsupported. */
public class KerasImportException extends Exception {
    public KerasImportException(String message) {
        super(message);
    }

    public KerasImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
