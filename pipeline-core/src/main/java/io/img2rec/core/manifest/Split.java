package io.img2rec.core.manifest;

import java.util.Locale;

/** Which part of the data an image belongs to. Written lowercase in {@code manifest.csv}. */
public enum Split {
    TRAIN, VALIDATION, TEST, UNASSIGNED;

    /** The lowercase code used in CSV files, e.g. {@code "train"}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a CSV code; an empty cell means {@link #UNASSIGNED}.
     *
     * @throws IllegalArgumentException naming the value and the allowed codes
     */
    public static Split fromCode(String code) {
        if (code == null || code.isBlank()) {
            return UNASSIGNED;
        }
        for (Split split : values()) {
            if (split.code().equals(code.trim().toLowerCase(Locale.ROOT))) {
                return split;
            }
        }
        throw new IllegalArgumentException("Unknown split '" + code + "'; allowed: train, validation, test, unassigned (or empty)");
    }
}
