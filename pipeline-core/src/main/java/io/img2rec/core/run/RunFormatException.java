package io.img2rec.core.run;

/**
 * A file of a run folder that cannot be read: missing, malformed, or written in a format version this img2rec does not
 * read. The message names the file (and line, for CSV files), the bad value and what to do.
 */
public class RunFormatException extends Exception {

    public RunFormatException(String message) {
        super(message);
    }

    public RunFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
