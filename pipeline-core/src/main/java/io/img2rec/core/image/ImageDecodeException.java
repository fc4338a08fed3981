package io.img2rec.core.image;

/** A file that could not be turned into pixels; the message names the file and the reason. */
public class ImageDecodeException extends Exception {
    public ImageDecodeException(String message) {
        super(message);
    }

    public ImageDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
