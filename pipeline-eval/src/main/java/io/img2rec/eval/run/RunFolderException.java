package io.img2rec.eval.run;

/** A run folder that cannot be read: missing, or a required file missing or malformed. The message names the file. */
public class RunFolderException extends Exception {

    public RunFolderException(String message) {
        super(message);
    }

    public RunFolderException(String message, Throwable cause) {
        super(message, cause);
    }
}
