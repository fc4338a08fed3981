package io.img2rec.serve.store;

/** The profile store could not be opened, read or updated; the message names the database and the operation. */
public class ProfileStoreException extends Exception {
    public ProfileStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
