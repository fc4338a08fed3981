package io.img2rec.core.checkpoint;

/** A checkpoint that cannot be written or trusted; the message names the file and what to do. */
public class CheckpointException extends Exception {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
