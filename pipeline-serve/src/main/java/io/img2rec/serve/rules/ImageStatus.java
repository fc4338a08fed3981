package io.img2rec.serve.rules;

/** What happened to one image. */
public enum ImageStatus {
    /** At least one crop was scored. */
    ANALYSED,
    /**
     * Decoded, but no usable face and whole-image classification was off: none found (message "no face found"), or
     * all found faces too small (message "no usable face (N found, all too small)", the faces under skipped faces).
     */
    NO_FACE,
    /** Not an image, corrupt, too large, unreadable: see the error. */
    ERROR
}
