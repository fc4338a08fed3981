package io.img2rec.serve.rules;

/** What happened to one image. */
public enum ImageStatus {
    /** At least one crop was scored. */
    ANALYSED,
    /** Decoded, but no usable face (none found, or all too small) and whole-image classification was off. */
    NO_FACE,
    /** Not an image, corrupt, too large, unreadable: see the error. */
    ERROR
}
