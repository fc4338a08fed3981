package io.img2rec.core.manifest;

/** A recoverable failure reading a dataset or a manifest file; the message names the file or folder and what to do. */
public class ManifestException extends Exception {
    public ManifestException(String message) {
        super(message);
    }

    public ManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
